package dev.claudebottle.launcher.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.claudebottle.launcher.LauncherException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * One bottle's folder on the host, {@code <state root>/<identity>/}:
 *
 * <ul>
 *   <li>{@code queue/} and {@code audit/}: mounted into the bundle at {@code /state}, where
 *       supervise keeps access requests and the services write audit logs;</li>
 *   <li>{@code claude-home/}: the snapshot of the agent's {@code ~/.claude}, taken before
 *       teardown and restored by {@code resume};</li>
 *   <li>{@code session.json}: what {@code resume} needs (agent, working tree);</li>
 *   <li>{@code agent.Dockerfile}: the agent image with approved capabilities, which
 *       {@code resume} builds;</li>
 *   <li>{@code preserve}: present while the state must survive {@code cleanup}, because the
 *       session ended with an error and can be resumed.</li>
 * </ul>
 * The bundle config is not kept here: it is rendered again for each run.
 */
public final class StateDirectory {

    public static final String PRESERVE = "preserve";
    public static final String SESSION_FILE = "session.json";
    public static final String CLAUDE_SNAPSHOT = "claude-home";
    /** The bottle's own agent Dockerfile, written when the operator approves a capability. */
    public static final String AGENT_DOCKERFILE = "agent.Dockerfile";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path folder;

    public StateDirectory(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** The part mounted into the bundle at {@code /state}. */
    public Path bundleMount() {
        return folder.resolve("bundle");
    }

    public Path claudeSnapshot() {
        return folder.resolve(CLAUDE_SNAPSHOT);
    }

    /** Creates the folders, private to the user, and returns whether the folder existed before. */
    public boolean create() {
        boolean existed = Files.isDirectory(folder);
        try {
            Files.createDirectories(folder.getParent());
            createPrivate(folder);
            createPrivate(bundleMount());
            Files.createDirectories(bundleMount().resolve("queue"));
            Files.createDirectories(bundleMount().resolve("audit"));
        } catch (IOException e) {
            throw new LauncherException("cannot create the state folder " + folder, String.valueOf(e.getMessage()),
                    "check that the folder is writable, or set CLAUDE_BOTTLE_HOME to a writable folder");
        }
        return existed;
    }

    private static void createPrivate(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /**
     * Hands the bundle's part to {@code uid}, the user the bundle runs as, when the launcher runs
     * as root; as any other user the bundle runs under the launcher's own uid and needs no change.
     */
    public void shareWithBundle(int uid) {
        try {
            walk(bundleMount(), path -> Files.setAttribute(path, "unix:uid", uid));
        } catch (IOException e) {
            throw new LauncherException("cannot hand " + bundleMount() + " to uid " + uid,
                    String.valueOf(e.getMessage()), "run the launcher as the owner of the state folder");
        }
    }

    /** Returns the uid that owns the state folder, the launcher's own after {@link #create}. */
    public int ownerUid() {
        try {
            return (Integer) Files.getAttribute(folder, "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return 1000;
        }
    }

    public void writeRecord(SessionRecord record) {
        try {
            JSON.writeValue(folder.resolve(SESSION_FILE).toFile(), record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(SESSION_FILE), e);
        }
    }

    public Optional<SessionRecord> readRecord() {
        Path file = folder.resolve(SESSION_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), SessionRecord.class));
        } catch (IOException e) {
            throw new LauncherException("cannot read " + file, String.valueOf(e.getMessage()),
                    "remove the bottle's state with `claude-bottle cleanup` and start a new bottle");
        }
    }

    public boolean preserved() {
        return Files.exists(folder.resolve(PRESERVE));
    }

    /** Returns why the state is kept, as {@link #markPreserved} wrote it, or empty when it is not. */
    public Optional<String> preservedReason() {
        try {
            return Optional.of(Files.readString(folder.resolve(PRESERVE)).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void markPreserved(String reason) {
        try {
            Files.writeString(folder.resolve(PRESERVE), reason + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(PRESERVE), e);
        }
    }

    public void clearPreserved() {
        try {
            Files.deleteIfExists(folder.resolve(PRESERVE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + folder.resolve(PRESERVE), e);
        }
    }

    /** Deletes the whole folder; a folder already gone counts as deleted. */
    public void delete() {
        if (!Files.exists(folder)) {
            return;
        }
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // Removed concurrently: the outcome is the same.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the state folder " + folder, e);
        }
    }

    private interface PathAction {
        void apply(Path path) throws IOException;
    }

    private static void walk(Path root, PathAction action) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                action.apply(path);
            }
        }
    }
}
