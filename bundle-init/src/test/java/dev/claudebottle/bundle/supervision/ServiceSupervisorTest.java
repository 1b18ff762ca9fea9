package dev.claudebottle.bundle.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ServiceSupervisorTest {

    private static final ServiceSupervisor.Policy FAST = new ServiceSupervisor.Policy(
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(4)), 5, Duration.ofMinutes(1));

    private final LinkedBlockingQueue<HealthReport> reports = new LinkedBlockingQueue<>();
    private ServiceSupervisor supervisor;

    @AfterEach
    void stopSupervisor() throws Exception {
        if (supervisor != null) {
            supervisor.stop(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        }
    }

    @Nested
    class Starting {

        @Test
        void startsServicesInConfiguredOrder() throws Exception {
            List<String> order = new CopyOnWriteArrayList<>();
            FakeService egress = new FakeService("egress", order);
            FakeService credProxy = new FakeService("cred-proxy", order);
            supervisor = new ServiceSupervisor(List.of(egress, credProxy), FAST, reports::add);

            supervisor.start().get(10, TimeUnit.SECONDS);

            assertThat(order).containsExactly("egress", "cred-proxy");
            assertThat(awaitReport(HealthReport::ready).ready()).isTrue();
        }

        @Test
        void notReadyWhileOneServiceCannotStart() throws Exception {
            FakeService egress = new FakeService("egress", null);
            FakeService broken = new FakeService("git-gate", null);
            broken.failStarts(1);
            supervisor = new ServiceSupervisor(List.of(egress, broken), FAST, reports::add);

            supervisor.start().get(10, TimeUnit.SECONDS);
            HealthReport firstFailure = awaitReport(r -> state(r, "git-gate") == ServiceState.BACKING_OFF);

            assertThat(firstFailure.ready()).isFalse();
            assertThat(firstFailure.services().get(1).lastError()).contains("port 9418 is taken");
            assertThat(awaitReport(HealthReport::ready).services().get(1).restarts()).isEqualTo(1);
        }
    }

    @Nested
    class Restarting {

        @Test
        void restartsCrashedServiceWhileOthersKeepRunning() throws Exception {
            FakeService egress = new FakeService("egress", null);
            FakeService credProxy = new FakeService("cred-proxy", null);
            supervisor = new ServiceSupervisor(List.of(egress, credProxy), FAST, reports::add);
            supervisor.start().get(10, TimeUnit.SECONDS);
            awaitReport(HealthReport::ready);

            credProxy.crash(new IllegalStateException("event loop died"));
            awaitReport(r -> state(r, "cred-proxy") == ServiceState.BACKING_OFF);
            HealthReport recovered = awaitReport(HealthReport::ready);

            assertThat(credProxy.starts.get()).isEqualTo(2);
            assertThat(egress.starts.get()).isEqualTo(1);
            assertThat(egress.stopped).isFalse();
            assertThat(recovered.services().get(1).lastError()).isEqualTo("event loop died");
        }

        @Test
        void reportsUnhealthyAfterFiveFailuresInWindow() throws Exception {
            FakeService broken = new FakeService("git-gate", null);
            broken.failStarts(Integer.MAX_VALUE);
            supervisor = new ServiceSupervisor(List.of(broken), FAST, reports::add);

            supervisor.start().get(10, TimeUnit.SECONDS);
            HealthReport report = awaitReport(r -> r.unhealthy().isPresent());

            assertThat(report.unhealthy().get().name()).isEqualTo("git-gate");
            assertThat(report.unhealthy().get().recentFailures()).isEqualTo(5);
            assertThat(report.unhealthy().get().lastError()).contains("port 9418 is taken");
        }

        @Test
        void forgetsFailuresOlderThanWindow() throws Exception {
            AtomicInteger minutes = new AtomicInteger();
            FakeService flaky = new FakeService("egress", null);
            supervisor = new ServiceSupervisor(List.of(flaky), FAST, reports::add,
                    () -> TimeUnit.MINUTES.toNanos(minutes.get()));
            supervisor.start().get(10, TimeUnit.SECONDS);
            awaitReport(HealthReport::ready);

            for (int i = 0; i < 6; i++) {
                minutes.addAndGet(2);
                reports.clear();
                flaky.crash(new IllegalStateException("crash " + i));
                awaitReport(r -> state(r, "egress") == ServiceState.BACKING_OFF);
                awaitReport(HealthReport::ready);
            }

            assertThat(supervisor.health().unhealthy()).isEmpty();
            assertThat(supervisor.health().services().get(0).restarts()).isEqualTo(6);
        }
    }

    @Nested
    class Stopping {

        @Test
        void stopsInReverseOrderWithDrain() throws Exception {
            List<String> order = new CopyOnWriteArrayList<>();
            FakeService egress = new FakeService("egress", null);
            FakeService credProxy = new FakeService("cred-proxy", null);
            egress.stopOrder = order;
            credProxy.stopOrder = order;
            supervisor = new ServiceSupervisor(List.of(egress, credProxy), FAST, reports::add);
            supervisor.start().get(10, TimeUnit.SECONDS);

            supervisor.stop(Duration.ofSeconds(8)).get(10, TimeUnit.SECONDS);

            assertThat(order).containsExactly("cred-proxy", "egress");
            assertThat(egress.lastDrain).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(8));
            assertThat(supervisor.isStopped()).isTrue();
            supervisor = null;
        }

        @Test
        void crashDuringStopIsNotRestarted() throws Exception {
            FakeService egress = new FakeService("egress", null);
            egress.crashOnStop = true;
            supervisor = new ServiceSupervisor(List.of(egress), FAST, reports::add);
            supervisor.start().get(10, TimeUnit.SECONDS);

            supervisor.stop(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);

            assertThat(egress.starts.get()).isEqualTo(1);
            supervisor = null;
        }
    }

    @Test
    void reloadReachesRunningServices() throws Exception {
        FakeService egress = new FakeService("egress", null);
        supervisor = new ServiceSupervisor(List.of(egress), FAST, reports::add);
        supervisor.start().get(10, TimeUnit.SECONDS);

        supervisor.reload().get(10, TimeUnit.SECONDS);

        assertThat(egress.reloads.get()).isEqualTo(1);
    }

    @Test
    void backoffDoublesUpToMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(15));

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(7)).isEqualTo(Duration.ofSeconds(15));
        assertThat(backoff.delay(1000)).isEqualTo(Duration.ofSeconds(15));
    }

    private HealthReport awaitReport(Predicate<HealthReport> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<HealthReport> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            HealthReport report = reports.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (report == null) {
                break;
            }
            seen.add(report);
            if (condition.test(report)) {
                return report;
            }
        }
        throw new AssertionError("no health report matched within 10 s; saw " + seen);
    }

    private static ServiceState state(HealthReport report, String name) {
        return report.services().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().state();
    }

    /** A service whose start and crash are scripted by the test. */
    private static final class FakeService implements BundleService {
        final String name;
        final List<String> startOrder;
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger reloads = new AtomicInteger();
        volatile List<String> stopOrder;
        volatile int failingStarts;
        volatile CompletableFuture<Throwable> failure;
        volatile boolean stopped;
        volatile boolean crashOnStop;
        volatile Duration lastDrain;

        FakeService(String name, List<String> startOrder) {
            this.name = name;
            this.startOrder = startOrder;
        }

        void failStarts(int count) {
            failingStarts = count;
        }

        void crash(Throwable cause) {
            failure.complete(cause);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public RunningService start() throws ServiceStartException {
            starts.incrementAndGet();
            if (failingStarts > 0) {
                failingStarts--;
                throw new ServiceStartException(name + ": port 9418 is taken");
            }
            if (startOrder != null) {
                startOrder.add(name);
            }
            CompletableFuture<Throwable> current = new CompletableFuture<>();
            failure = current;
            return new RunningService() {
                @Override
                public CompletionStage<Throwable> failure() {
                    return current;
                }

                @Override
                public void reload() {
                    reloads.incrementAndGet();
                }

                @Override
                public void stop(Duration drain) {
                    lastDrain = drain;
                    stopped = true;
                    if (stopOrder != null) {
                        stopOrder.add(name);
                    }
                    if (crashOnStop) {
                        current.complete(new IllegalStateException("closed"));
                    }
                }
            };
        }
    }
}
