package dev.claudebottle.bundle.supervision;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the bundle's services in order, restarts a failed one with backoff while the others keep
 * running, and reports the bundle unhealthy when one fails too often.
 *
 * <p>Threading: every state change runs on one supervisor thread, so the slots need no locks.
 * Services start on that thread too, one after the other, which gives the dependency order
 * (egress-proxy mints the CA that cred-proxy trusts).
 */
public final class ServiceSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceSupervisor.class);

    /** How many failures inside {@link Policy#failureWindow()} make the bundle unhealthy. */
    public record Policy(Backoff backoff, int maxFailures, Duration failureWindow) {

        public static final Policy DEFAULT = new Policy(Backoff.DEFAULT, 5, Duration.ofMinutes(1));

        public Policy {
            if (maxFailures < 1) {
                throw new IllegalArgumentException("maxFailures must be at least 1, got " + maxFailures);
            }
        }
    }

    private final List<Slot> slots = new ArrayList<>();
    private final Policy policy;
    private final HealthListener listener;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService executor;
    private boolean stopping;

    public ServiceSupervisor(List<BundleService> services, Policy policy, HealthListener listener) {
        this(services, policy, listener, System::nanoTime);
    }

    ServiceSupervisor(List<BundleService> services, Policy policy, HealthListener listener, LongSupplier nanoClock) {
        for (BundleService service : services) {
            slots.add(new Slot(service));
        }
        this.policy = policy;
        this.listener = listener;
        this.nanoClock = nanoClock;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bundle-supervisor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts every service in order; the future completes after each has had its first try. */
    public CompletableFuture<Void> start() {
        return CompletableFuture.runAsync(() -> slots.forEach(this::startSlot), executor);
    }

    /** Asks every running service to reload its configuration; failures are logged, not fatal. */
    public CompletableFuture<Void> reload() {
        return CompletableFuture.runAsync(() -> {
            for (Slot slot : slots) {
                if (slot.running == null) {
                    continue;
                }
                try {
                    slot.running.reload();
                    LOG.info("{}: configuration reloaded", slot.service.name());
                } catch (RuntimeException e) {
                    LOG.warn("{}: reload failed, the previous configuration stays in force", slot.service.name(), e);
                }
            }
        }, executor);
    }

    /**
     * Stops the services in reverse start order, sharing one drain budget between them, and ends
     * the supervisor thread. The future completes when everything is closed.
     */
    public CompletableFuture<Void> stop(Duration drain) {
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            stopping = true;
            long deadline = nanoClock.getAsLong() + drain.toNanos();
            for (int i = slots.size() - 1; i >= 0; i--) {
                stopSlot(slots.get(i), Duration.ofNanos(Math.max(0, deadline - nanoClock.getAsLong())));
            }
            publish();
        }, executor);
        return done.whenComplete((ignored, error) -> executor.shutdown());
    }

    /** Returns true once {@link #stop(Duration)} has finished. */
    public boolean isStopped() {
        return executor.isShutdown();
    }

    /** Returns the current health snapshot (computed on the supervisor thread). */
    public HealthReport health() {
        return CompletableFuture.supplyAsync(this::snapshot, executor).join();
    }

    private void startSlot(Slot slot) {
        if (stopping) {
            return;
        }
        slot.pendingRestart = null;
        slot.state = ServiceState.STARTING;
        publish();
        long generation = ++slot.generation;
        RunningService running;
        try {
            running = slot.service.start();
        } catch (ServiceStartException | RuntimeException e) {
            onFailure(slot, generation, e);
            return;
        }
        slot.running = running;
        slot.state = ServiceState.RUNNING;
        slot.consecutiveFailures = 0;
        LOG.info("{}: running", slot.service.name());
        publish();
        running.failure().whenComplete((cause, error) ->
                executor.execute(() -> onFailure(slot, generation, cause != null ? cause : error)));
    }

    private void onFailure(Slot slot, long generation, Throwable cause) {
        if (stopping || generation != slot.generation) {
            return;
        }
        if (slot.running != null) {
            RunningService failed = slot.running;
            slot.running = null;
            failed.stop(Duration.ZERO);
        }

        // Count the failure and decide whether the bundle can still call itself healthy.
        long now = nanoClock.getAsLong();
        slot.failureTimes.addLast(now);
        while (!slot.failureTimes.isEmpty()
                && now - slot.failureTimes.peekFirst() > policy.failureWindow().toNanos()) {
            slot.failureTimes.removeFirst();
        }
        slot.restarts++;
        slot.consecutiveFailures++;
        slot.lastError = describe(cause);
        boolean wasGivenUp = slot.givenUp;
        slot.givenUp = slot.failureTimes.size() >= policy.maxFailures();

        // Restart after the backoff delay; a service that gave up still retries at the slowest pace.
        Duration delay = policy.backoff().delay(slot.consecutiveFailures);
        if (slot.givenUp && !wasGivenUp) {
            LOG.error("{}: failed {} times within {} s, so the bundle reports itself unhealthy; last cause: {}",
                    slot.service.name(), slot.failureTimes.size(), policy.failureWindow().toSeconds(),
                    slot.lastError, cause);
        } else {
            LOG.warn("{}: failed ({}); restarting in {} ms", slot.service.name(), slot.lastError,
                    delay.toMillis(), cause);
        }
        slot.state = ServiceState.BACKING_OFF;
        publish();
        slot.pendingRestart = executor.schedule(() -> startSlot(slot), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopSlot(Slot slot, Duration drain) {
        if (slot.pendingRestart != null) {
            slot.pendingRestart.cancel(false);
            slot.pendingRestart = null;
        }
        slot.state = ServiceState.STOPPING;
        publish();
        if (slot.running != null) {
            try {
                slot.running.stop(drain);
            } catch (RuntimeException e) {
                LOG.warn("{}: error while stopping", slot.service.name(), e);
            }
            slot.running = null;
        }
        slot.state = ServiceState.STOPPED;
        LOG.info("{}: stopped", slot.service.name());
    }

    private void publish() {
        try {
            listener.healthChanged(snapshot());
        } catch (RuntimeException e) {
            LOG.warn("health listener failed", e);
        }
    }

    private HealthReport snapshot() {
        List<HealthReport.ServiceHealth> health = new ArrayList<>();
        for (Slot slot : slots) {
            health.add(new HealthReport.ServiceHealth(slot.service.name(), slot.state, slot.restarts,
                    slot.failureTimes.size(), slot.lastError, slot.givenUp));
        }
        return new HealthReport(health);
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "stopped without an error";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /** Mutable supervisor state of one service; touched only on the supervisor thread. */
    private static final class Slot {
        final BundleService service;
        final Deque<Long> failureTimes = new ArrayDeque<>();
        ServiceState state = ServiceState.STOPPED;
        RunningService running;
        ScheduledFuture<?> pendingRestart;
        long generation;
        int restarts;
        int consecutiveFailures;
        String lastError;
        boolean givenUp;

        Slot(BundleService service) {
            this.service = service;
        }
    }
}
