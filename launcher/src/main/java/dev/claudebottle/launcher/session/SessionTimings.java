package dev.claudebottle.launcher.session;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long the phases of a session took, for the benchmark script.
 *
 * @param setupPhases the steps of setup in order, each with its duration
 * @param setup from the start of the session to the command starting, images already built
 * @param command the command or the interactive session
 * @param teardown from the command's end to everything removed
 */
public record SessionTimings(Map<String, Duration> setupPhases, Duration setup, Duration command, Duration teardown) {

    public SessionTimings {
        setupPhases = Collections.unmodifiableMap(new LinkedHashMap<>(setupPhases));
    }

    /** Formats the timings as one line: {@code timings setup_ms=... command_ms=... teardown_ms=... (phases)}. */
    public String line() {
        StringBuilder text = new StringBuilder("timings setup_ms=" + setup.toMillis() + " command_ms="
                + command.toMillis() + " teardown_ms=" + teardown.toMillis() + " (");
        setupPhases.forEach((name, duration) -> text.append(name).append(' ').append(duration.toMillis()).append(" ms, "));
        text.setLength(text.length() - 2);
        return text.append(')').toString();
    }

    /** Records the end of each setup step. */
    static final class Phases {

        private final Map<String, Duration> durations = new LinkedHashMap<>();
        private long last = System.nanoTime();

        synchronized void mark(String name) {
            long now = System.nanoTime();
            durations.put(name, Duration.ofNanos(now - last));
            last = now;
        }

        synchronized Map<String, Duration> durations() {
            return new LinkedHashMap<>(durations);
        }
    }
}
