package dev.claudebottle.bundle.supervision;

import java.time.Duration;

/**
 * Restart delays that double after each consecutive failure, from {@code initial} up to
 * {@code max}, so a crashing service neither spins nor waits long after a passing fault.
 */
public record Backoff(Duration initial, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(15));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /** Returns the delay before restart number {@code attempt} (1 for the first restart). */
    public Duration delay(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, got " + attempt);
        }
        int doublings = Math.min(attempt - 1, 30);
        long millis = initial.toMillis() << doublings;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
