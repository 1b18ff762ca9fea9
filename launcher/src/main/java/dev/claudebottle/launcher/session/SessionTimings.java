package dev.claudebottle.launcher.session;

import java.time.Duration;

/**
 * How long the phases of a session took, for the benchmark script.
 *
 * @param setup from the start of the session to the command starting, images already built
 * @param command the command or the interactive session
 * @param teardown from the command's end to everything removed
 */
public record SessionTimings(Duration setup, Duration command, Duration teardown) {

    /** Formats the timings as one line: {@code timings setup_ms=... command_ms=... teardown_ms=...}. */
    public String line() {
        return "timings setup_ms=" + setup.toMillis() + " command_ms=" + command.toMillis() + " teardown_ms="
                + teardown.toMillis();
    }
}
