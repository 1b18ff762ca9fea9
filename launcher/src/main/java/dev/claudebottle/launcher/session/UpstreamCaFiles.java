package dev.claudebottle.launcher.session;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.manifest.Bottle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Copies a bottle's {@code egress.upstream_ca} files into the bundle's state mount, where the
 * rendered bundle config names them ({@link BundleConfigRenderer#upstreamCaFile}). They hold CA
 * certificates, which are public, so they are made readable by the bundle's user whatever its uid.
 */
final class UpstreamCaFiles {

    private UpstreamCaFiles() {
    }

    /** Copies the files of {@code bottle} into {@code bundleMount}/upstream-ca, numbered in manifest order. */
    static void copy(Bottle bottle, Path bundleMount) {
        List<Path> files = bottle.upstreamCa();
        if (files.isEmpty()) {
            return;
        }
        Path folder = bundleMount.resolve("upstream-ca");
        for (int i = 0; i < files.size(); i++) {
            Path source = files.get(i);
            try {
                String pem = Files.readString(source);
                if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
                    throw new LauncherException("cannot use egress.upstream_ca file " + source,
                            "it holds no PEM certificate", "point upstream_ca at a PEM file of CA certificates");
                }
                Files.createDirectories(folder);
                Path target = folder.resolve(i + ".pem");
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (IOException e) {
                throw new LauncherException("cannot copy egress.upstream_ca file " + source + " into the bottle",
                        String.valueOf(e.getMessage()), "check that the file is readable and the state folder writable");
            }
        }
    }
}
