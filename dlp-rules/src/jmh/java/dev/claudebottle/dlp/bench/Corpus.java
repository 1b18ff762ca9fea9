package dev.claudebottle.dlp.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The benchmark corpus: the first {@code .java} files of a JDK's {@code lib/src.zip}, unpacked to
 * a directory so that dlp-rules and gitleaks read the same bytes.
 *
 * <p>{@code java -cp ... dev.claudebottle.dlp.bench.Corpus DIR [MIB]} unpacks at least MIB mebibytes
 * (default 32) into DIR, which must be empty or absent.
 */
public final class Corpus {
    private Corpus() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: Corpus DIR [MIB]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        long minBytes = (args.length > 1 ? Long.parseLong(args[1]) : 32) << 20;
        Path srcZip = findSrcZip();
        long written = extract(srcZip, dir, minBytes);
        System.out.println("corpus: " + written + " bytes from " + srcZip + " in " + dir);
    }

    /** Returns the running JDK's src.zip, or the first one under /usr/lib/jvm (a Temurin JDK ships one). */
    static Path findSrcZip() throws IOException {
        Path own = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        if (Files.isReadable(own)) {
            return own;
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.map(jdk -> jdk.resolve("lib/src.zip")).filter(Files::isReadable).sorted().findFirst()
                    .orElseThrow(() -> new IOException("no lib/src.zip in java.home or /usr/lib/jvm; install a JDK with sources"));
        }
    }

    static long extract(Path srcZip, Path dir, long minBytes) throws IOException {
        long written = 0;
        try (ZipFile zip = new ZipFile(srcZip.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements() && written < minBytes) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory() || !entry.getName().endsWith(".java") || entry.getName().contains("..")) {
                    continue;
                }
                Path target = dir.resolve(entry.getName());
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    written += Files.copy(in, target);
                }
            }
        }
        if (written < minBytes) {
            throw new IOException(srcZip + " contains only " + written + " bytes of .java files; need " + minBytes);
        }
        return written;
    }

    /** Reads every regular file under {@code dir}, in sorted path order. */
    static List<byte[]> read(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        List<byte[]> contents = new ArrayList<>(files.size());
        for (Path file : files) {
            contents.add(Files.readAllBytes(file));
        }
        return contents;
    }
}
