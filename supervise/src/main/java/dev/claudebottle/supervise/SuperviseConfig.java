package dev.claudebottle.supervise;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Settings of one supervise server, which serves one bottle.
 *
 * @param bottle the bottle's name, written into every request and audit line
 * @param bindAddress where to listen; the bundle uses port 9100 on all interfaces
 * @param queueDirectory the bottle's queue directory, bind-mounted from the host state directory
 * @param auditLog the JSON-lines audit file, shared with the dashboard
 * @param hostNames names under which clients may reach the server; the {@code Host} header must be
 *     one of them with the bound port, and an {@code Origin} header, when sent, must be
 *     {@code http://} plus such a host. This guards against DNS rebinding, as the security warning of
 *     the MCP streamable HTTP transport requires.
 * @param decisionWait how long a tool call waits for the operator before returning "pending"
 * @param pollInterval how often a waiting call looks for the operator's response file
 * @param maxRequestBytes the largest request body accepted; larger ones get 413
 * @param maxPendingRequests how many undecided requests the bottle may have at once
 * @param maxSessions how many MCP sessions are kept; the least recently used is dropped beyond it
 * @param egress supplies the current allowlist and routes for {@code list-egress}
 * @param secretCheck detects secret-looking tool input, which is rejected and never stored
 * @param clock the clock for request times and ids
 */
public record SuperviseConfig(
        String bottle,
        InetSocketAddress bindAddress,
        Path queueDirectory,
        Path auditLog,
        List<String> hostNames,
        Duration decisionWait,
        Duration pollInterval,
        int maxRequestBytes,
        int maxPendingRequests,
        int maxSessions,
        Supplier<EgressSnapshot> egress,
        SecretCheck secretCheck,
        Clock clock) {

    /** The port the agent reaches supervise on ({@code http://supervise:9100/}). */
    public static final int DEFAULT_PORT = 9100;

    /**
     * Default wait for a decision, kept under the tool-call timeouts of Claude Code's MCP client.
     * Its documented MCP_TOOL_TIMEOUT default is 100,000,000 ms (env-vars page, quoted in
     * anthropics/claude-code#70441). Over streamable HTTP, though, 2.1.x releases lost responses
     * that came after about 60 s (anthropics/claude-code#18684 and #47076). Since 2.1.187 a remote
     * call is also aborted after 5 minutes without progress (#70441). After 45 s the agent gets
     * "pending" and calls check-request, so no approval is lost to a client timeout.
     */
    public static final Duration DEFAULT_DECISION_WAIT = Duration.ofSeconds(45);

    public static final List<String> DEFAULT_HOST_NAMES = List.of("supervise", "localhost", "127.0.0.1", "[::1]");

    public SuperviseConfig {
        Objects.requireNonNull(bottle, "bottle");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(queueDirectory, "queueDirectory");
        Objects.requireNonNull(auditLog, "auditLog");
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(secretCheck, "secretCheck");
        Objects.requireNonNull(clock, "clock");
        hostNames = List.copyOf(hostNames);
        if (!bottle.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("bottle name \"" + bottle + "\" is invalid; use lower-case "
                    + "letters, digits and hyphens, starting with a letter");
        }
        requirePositive(decisionWait, "decisionWait");
        requirePositive(pollInterval, "pollInterval");
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("maxRequestBytes must be at least 1024, not " + maxRequestBytes);
        }
        if (maxPendingRequests < 1 || maxSessions < 1) {
            throw new IllegalArgumentException("maxPendingRequests and maxSessions must be at least 1");
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, not " + duration);
        }
    }

    public static Builder builder(String bottle, Path queueDirectory, Path auditLog) {
        return new Builder(bottle, queueDirectory, auditLog);
    }

    /** Builds a config with the defaults above for everything not set. */
    public static final class Builder {
        private final String bottle;
        private final Path queueDirectory;
        private final Path auditLog;
        private SecretCheck secretCheck;
        private InetSocketAddress bindAddress = new InetSocketAddress(DEFAULT_PORT);
        private List<String> hostNames = DEFAULT_HOST_NAMES;
        private Duration decisionWait = DEFAULT_DECISION_WAIT;
        private Duration pollInterval = Duration.ofMillis(250);
        private int maxRequestBytes = 64 * 1024;
        private int maxPendingRequests = 50;
        private int maxSessions = 32;
        private Supplier<EgressSnapshot> egress = EgressSnapshot::empty;
        private Clock clock = Clock.systemUTC();

        private Builder(String bottle, Path queueDirectory, Path auditLog) {
            this.bottle = bottle;
            this.queueDirectory = queueDirectory;
            this.auditLog = auditLog;
        }

        /** Sets the secret check; without it, the dlp-rules built-in rules apply. */
        public Builder secretCheck(SecretCheck secretCheck) {
            this.secretCheck = secretCheck;
            return this;
        }

        public Builder bindAddress(InetSocketAddress bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        public Builder hostNames(List<String> hostNames) {
            this.hostNames = hostNames;
            return this;
        }

        public Builder decisionWait(Duration decisionWait) {
            this.decisionWait = decisionWait;
            return this;
        }

        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
            return this;
        }

        public Builder maxRequestBytes(int maxRequestBytes) {
            this.maxRequestBytes = maxRequestBytes;
            return this;
        }

        public Builder maxPendingRequests(int maxPendingRequests) {
            this.maxPendingRequests = maxPendingRequests;
            return this;
        }

        public Builder maxSessions(int maxSessions) {
            this.maxSessions = maxSessions;
            return this;
        }

        public Builder egress(Supplier<EgressSnapshot> egress) {
            this.egress = egress;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public SuperviseConfig build() {
            return new SuperviseConfig(bottle, bindAddress, queueDirectory, auditLog, hostNames, decisionWait,
                    pollInterval, maxRequestBytes, maxPendingRequests, maxSessions, egress,
                    secretCheck == null ? SecretCheck.builtIn() : secretCheck, clock);
        }
    }
}
