package dev.claudebottle.launcher.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Copies files into and out of containers with the engine's archive API. The engine unpacks
 * the tar itself, with the owner and mode of each entry, so nothing runs in the container and
 * no file content appears on a command line.
 */
public final class Archives {

    private final DockerClient client;

    public Archives(DockerClient client) {
        this.client = client;
    }

    /** Writes entries into a tar stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Tar tar) throws IOException;
    }

    /** A tar being written, with the owner every entry gets. */
    public static final class Tar {

        private final TarArchiveOutputStream out;
        private int uid;
        private int gid;

        Tar(TarArchiveOutputStream out, int uid, int gid) {
            this.out = out;
            this.uid = uid;
            this.gid = gid;
        }

        /** Sets the owner of the entries added after this call. */
        public void owner(int uid, int gid) {
            this.uid = uid;
            this.gid = gid;
        }

        /** Adds a folder entry; give every parent the unpacked tree should own, parents first. */
        public void folder(String path, int mode) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(path.endsWith("/") ? path : path + "/");
            own(entry, mode);
            out.putArchiveEntry(entry);
            out.closeArchiveEntry();
        }

        public void file(String path, byte[] content, int mode) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(path);
            own(entry, mode);
            entry.setSize(content.length);
            out.putArchiveEntry(entry);
            out.write(content);
            out.closeArchiveEntry();
        }

        /** Adds {@code source} and everything below it as {@code target}, keeping symbolic links as links. */
        public void tree(Path source, String target) throws IOException {
            List<Path> paths;
            try (var walk = Files.walk(source)) {
                paths = walk.toList();
            }
            for (Path path : paths) {
                String relative = source.relativize(path).toString();
                String name = relative.isEmpty() ? target : target + "/" + relative;
                if (Files.isSymbolicLink(path)) {
                    TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName(Files.readSymbolicLink(path).toString());
                    own(entry, 0777);
                    out.putArchiveEntry(entry);
                    out.closeArchiveEntry();
                } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    folder(name, 0755);
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    TarArchiveEntry entry = new TarArchiveEntry(name);
                    own(entry, Files.isExecutable(path) ? 0755 : 0644);
                    entry.setSize(Files.size(path));
                    out.putArchiveEntry(entry);
                    Files.copy(path, out);
                    out.closeArchiveEntry();
                }
            }
        }

        private void own(TarArchiveEntry entry, int mode) {
            entry.setUserId(uid);
            entry.setGroupId(gid);
            entry.setMode((entry.isDirectory() ? 040000 : entry.isSymbolicLink() ? 0120000 : 0100000) | mode);
        }
    }

    /**
     * Unpacks what {@code content} writes into the container at {@code /}, each entry owned by
     * {@code uid:gid} unless the content sets another owner. The tar is streamed, so a large working tree is never held in memory.
     */
    public void upload(String container, int uid, int gid, Content content) {
        PipedInputStream input = new PipedInputStream(64 * 1024);
        CompletableFuture<Void> writer;
        try {
            PipedOutputStream output = new PipedOutputStream(input);
            writer = CompletableFuture.runAsync(() -> {
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(output)) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    content.writeTo(new Tar(tar, uid, gid));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new AssertionError("connecting a new pipe does no I/O", e);
        }
        try (input) {
            client.copyArchiveToContainerCmd(container).withRemotePath("/").withTarInputStream(input).exec();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writer.join();
    }

    /**
     * Copies the folder {@code path} of the container into {@code target} on the host, replacing
     * what was there. Returns false when the container or the folder does not exist.
     */
    public boolean download(String container, String path, Path target) throws IOException {
        Path staging = target.resolveSibling(target.getFileName() + ".partial");
        deleteTree(staging);
        Files.createDirectories(staging);
        try (InputStream stream = client.copyArchiveFromContainerCmd(container, path).exec();
                TarArchiveInputStream tar = new TarArchiveInputStream(stream)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path destination = staging.resolve(entry.getName()).normalize();
                if (!destination.startsWith(staging)) {
                    throw new IOException("the archive of " + path + " holds an entry outside its folder: "
                            + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else if (entry.isFile()) {
                    Files.createDirectories(destination.getParent());
                    Files.copy(tar, destination, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(destination, permissions(entry.getMode()));
                }
                // Links and devices are left out: a snapshot needs only files and folders.
            }
        } catch (NotFoundException e) {
            deleteTree(staging);
            return false;
        }
        deleteTree(target);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = java.util.EnumSet.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        if ((mode & 0100) != 0) {
            set.add(PosixFilePermission.OWNER_EXECUTE);
        }
        return set;
    }

    /** Deletes a folder tree; a missing one counts as deleted. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
