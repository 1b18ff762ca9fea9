package dev.claudebottle.supervise.queue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waits for the operator's response file by polling the queue.
 *
 * <p>Polling, and not a {@code WatchService}, because the queue directory is a bind mount written from
 * the host: inotify sees those writes on a Linux host, but not through the file sharing of Docker
 * Desktop. A poll is one {@code stat} and, once the file exists, one read.
 */
public final class DecisionWatcher {

    private final RequestQueue queue;
    private final ScheduledExecutorService scheduler;
    private final Duration pollInterval;

    public DecisionWatcher(RequestQueue queue, ScheduledExecutorService scheduler, Duration pollInterval) {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, not " + pollInterval);
        }
        this.queue = queue;
        this.scheduler = scheduler;
        this.pollInterval = pollInterval;
    }

    /**
     * Completes with the decision once the response file appears, or with empty when {@code bound}
     * passes first. The future fails with {@link QueueException} when the response file is unreadable.
     * No thread blocks while waiting.
     */
    public CompletableFuture<Optional<Decision>> await(String id, Duration bound) {
        CompletableFuture<Optional<Decision>> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + bound.toNanos();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();

        Runnable poll = () -> {
            if (result.isDone()) {
                return;
            }
            try {
                Optional<Decision> decision = queue.decision(id);
                if (decision.isPresent()) {
                    result.complete(decision);
                } else if (System.nanoTime() - deadline >= 0) {
                    result.complete(Optional.empty());
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        };

        task.set(scheduler.scheduleWithFixedDelay(poll, 0, pollInterval.toNanos(), TimeUnit.NANOSECONDS));
        result.whenComplete((decision, failure) -> task.get().cancel(false));
        return result;
    }
}
