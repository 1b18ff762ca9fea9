package dev.claudebottle.bundle.supervision;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** A started {@link BundleService}. */
public interface RunningService {

    /**
     * Returns a stage that completes when the service stops without being asked to: normally with
     * the cause of the failure, or with {@code null} when it ended without one.
     */
    CompletionStage<Throwable> failure();

    /**
     * Re-reads the parts of the configuration that can change while running (the allowlist,
     * the routes) without dropping established connections. Services without such parts do nothing.
     */
    default void reload() {
    }

    /**
     * Stops accepting new connections, lets connections in flight finish for at most {@code drain},
     * then closes everything. Calling it twice is harmless.
     */
    void stop(Duration drain);
}
