package dev.claudebottle.launcher.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to run one bottle session.
 *
 * @param command the command to run instead of Claude Code; empty starts {@code claude}
 * @param tty whether to attach the user's terminal (raw mode, window size); false runs the
 *     command with plain pipes
 * @param commandInput bytes for the command's standard input when not attached to a terminal,
 *     or empty to give it none
 * @param workingTree the folder copied into the bottle as the agent's workspace ({@code --cwd})
 * @param buildCa a PEM bundle trusted while images build, for networks that inspect TLS
 * @param extraNetworks existing Docker networks the bundle joins besides its own two, so that
 *     services on them (such as stand-in upstreams) are reachable through egress-proxy
 * @param imageSearch folders from which the checkout with {@code docker/} is looked for
 * @param readyTimeout how long to wait for the bundle to report ready
 * @param resume whether this run resumes an existing state folder
 */
public record SessionOptions(List<String> command, boolean tty, Optional<byte[]> commandInput,
        Optional<Path> workingTree, Optional<Path> buildCa, List<String> extraNetworks, List<Path> imageSearch,
        Duration readyTimeout, boolean resume) {

    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);

    public SessionOptions {
        command = List.copyOf(command);
        extraNetworks = List.copyOf(extraNetworks);
        imageSearch = List.copyOf(imageSearch);
    }

    /** Options for a command run without a terminal and no input, as scripts and tests use it. */
    public static SessionOptions command(List<String> command) {
        return new SessionOptions(command, false, Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                List.of(Path.of("").toAbsolutePath()), DEFAULT_READY_TIMEOUT, false);
    }

    public SessionOptions withExtraNetworks(List<String> networks) {
        return new SessionOptions(command, tty, commandInput, workingTree, buildCa, networks, imageSearch,
                readyTimeout, resume);
    }

    public SessionOptions withReadyTimeout(Duration timeout) {
        return new SessionOptions(command, tty, commandInput, workingTree, buildCa, extraNetworks, imageSearch,
                timeout, resume);
    }

    public SessionOptions withWorkingTree(Path folder) {
        return new SessionOptions(command, tty, commandInput, Optional.of(folder), buildCa, extraNetworks,
                imageSearch, readyTimeout, resume);
    }

    public SessionOptions withBuildCa(Path file) {
        return new SessionOptions(command, tty, commandInput, workingTree, Optional.of(file), extraNetworks,
                imageSearch, readyTimeout, resume);
    }

    public SessionOptions asResume() {
        return new SessionOptions(command, tty, commandInput, workingTree, buildCa, extraNetworks, imageSearch,
                readyTimeout, true);
    }
}
