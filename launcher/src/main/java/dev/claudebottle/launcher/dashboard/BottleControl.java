package dev.claudebottle.launcher.dashboard;

import java.util.List;

/**
 * The container engine operations that the dashboard needs for running bottles.
 * {@link DockerCliBottleControl} is the implementation, and tests may supply an engine-free one.
 */
public interface BottleControl {

    /** One running bottle as the engine shows it. */
    record RunningBottle(String identity, String agent, String state) {
    }

    /**
     * Lists the bottles that have containers, oldest first.
     *
     * @throws DashboardException when the engine cannot be reached
     */
    List<RunningBottle> running();

    /**
     * Returns whether the bottle's bundle container is running.
     *
     * @throws DashboardException when the engine cannot be reached
     */
    boolean bundleRunning(String identity);

    /**
     * Makes the running bundle re-read its config (SIGHUP to bundle-init), which swaps the egress
     * allowlist and the cred-proxy routes without dropping open connections.
     *
     * @throws DashboardException when the signal cannot be sent
     */
    void reloadBundle(String identity);

    /**
     * Adds the tokens of a secrets document ({@code {"tokens": {"NAME": "value"}}}) to the running
     * bundle's secrets, through {@code bundle-init receive-secrets --add} on its standard input. The
     * bundle uses them from its next reload. The caller clears {@code document} afterwards.
     *
     * @throws DashboardException when the bundle does not run or rejects the document; the message
     *     never contains a value
     */
    void addSecrets(String identity, byte[] document);

    /**
     * Stops the bottle's containers. The launcher that started the bottle then finds its command ended and
     * tears the bottle down, while the state folder stays for {@code resume}.
     *
     * @throws DashboardException when the engine reports a failure
     */
    void stop(String identity);

    /**
     * Runs {@code claude --continue} in the bottle's agent container on the caller's terminal, and
     * returns its exit code when the user leaves it.
     *
     * @throws DashboardException when the command cannot be started
     */
    int attach(String identity);
}
