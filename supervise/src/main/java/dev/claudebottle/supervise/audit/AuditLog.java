package dev.claudebottle.supervise.audit;

import dev.claudebottle.supervise.internal.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Append-only JSON-lines audit log of requests and decisions.
 *
 * <p>Both supervise (inside the bundle) and the dashboard (on the host) append to the same file
 * through a bind mount. Each entry is written with one {@code write} on a file opened with
 * {@code O_APPEND}, so on a local Linux file system lines from the two processes do not interleave.
 * The file is opened per entry: requests are rare, and no descriptor is held across a crash.
 */
public final class AuditLog {

    private final Path file;

    public AuditLog(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    /**
     * Appends one entry as a single line.
     *
     * @throws UncheckedIOException when the directory is missing or not writable; the caller must
     *     treat the action as not done, since an unaudited decision is not allowed
     */
    public synchronized void append(AuditEntry entry) {
        byte[] line = (Json.write(entry.toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to audit log " + file
                    + "; check that the directory exists and is writable", e);
        }
    }

    /** Creates the log's parent directory if it is missing. */
    public void createDirectories() {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of audit log " + file, e);
        }
    }
}
