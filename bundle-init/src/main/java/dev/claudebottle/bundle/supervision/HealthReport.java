package dev.claudebottle.bundle.supervision;

import java.util.List;
import java.util.Optional;

/**
 * A snapshot of every service's state.
 *
 * @param services one entry per configured service, in start order
 */
public record HealthReport(List<ServiceHealth> services) {

    /**
     * The health of one service.
     *
     * @param recentFailures failures inside the supervisor's failure window
     * @param lastError the last failure's message, or null when it has not failed
     * @param givenUp true when it failed too often inside the window: the bundle is unhealthy
     */
    public record ServiceHealth(String name, ServiceState state, int restarts, int recentFailures,
            String lastError, boolean givenUp) {
    }

    public HealthReport {
        services = List.copyOf(services);
    }

    /** Returns true when every service is running, which is the bundle's readiness signal. */
    public boolean ready() {
        return !services.isEmpty() && services.stream().allMatch(s -> s.state() == ServiceState.RUNNING);
    }

    /** Returns the first service that failed too often, if any. */
    public Optional<ServiceHealth> unhealthy() {
        return services.stream().filter(ServiceHealth::givenUp).findFirst();
    }
}
