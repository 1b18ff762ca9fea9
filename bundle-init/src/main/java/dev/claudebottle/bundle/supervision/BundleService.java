package dev.claudebottle.bundle.supervision;

/**
 * One service the bundle runs (egress-proxy, cred-proxy, git-gate, supervise, the DNS responder).
 *
 * <p>Lifecycle: the {@link ServiceSupervisor} calls {@link #start()} in the configured order and
 * waits for it to return, which must mean the service is listening. The returned
 * {@link RunningService} reports when the service ends on its own; the supervisor then starts it
 * again with backoff. To reject a start (a port taken, a config the service cannot use), throw
 * {@link ServiceStartException} with the cause; the supervisor logs it once and retries.
 */
public interface BundleService {

    /** Returns the service's name as it appears in logs and health reports, for example {@code egress}. */
    String name();

    /** Starts the service and returns once it accepts connections. */
    RunningService start() throws ServiceStartException;
}
