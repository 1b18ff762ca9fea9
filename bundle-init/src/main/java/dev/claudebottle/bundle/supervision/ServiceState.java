package dev.claudebottle.bundle.supervision;

/**
 * The state of one service under the supervisor.
 *
 * <p>Transitions: STARTING to RUNNING when start returns; RUNNING or STARTING to BACKING_OFF on a
 * failure, and back to STARTING when the delay ends; any state to STOPPING and then STOPPED
 * when the bundle stops.
 */
public enum ServiceState {
    STARTING,
    RUNNING,
    BACKING_OFF,
    STOPPING,
    STOPPED
}
