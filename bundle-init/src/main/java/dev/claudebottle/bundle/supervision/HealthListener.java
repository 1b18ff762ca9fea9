package dev.claudebottle.bundle.supervision;

/** Receives the supervisor's view of the bundle each time it changes. */
@FunctionalInterface
public interface HealthListener {

    void healthChanged(HealthReport report);
}
