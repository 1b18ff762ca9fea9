package dev.claudebottle.supervise.mcp;

import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions created by {@code initialize} and named by the {@code Mcp-Session-Id} header. The table is
 * bounded: when it is full, the least recently used session is dropped, and its client gets 404 and
 * initializes again, as the streamable HTTP transport prescribes.
 */
public final class McpSessions {

    /** One client session; the version is fixed at initialize. */
    public static final class Session {
        private final String id;
        private final String protocolVersion;
        private volatile boolean initialized;
        private volatile long lastUsedNanos;

        Session(String id, String protocolVersion) {
            this.id = id;
            this.protocolVersion = protocolVersion;
            this.lastUsedNanos = System.nanoTime();
        }

        public String id() {
            return id;
        }

        public String protocolVersion() {
            return protocolVersion;
        }

        /** True once the client sent {@code notifications/initialized}. */
        public boolean initialized() {
            return initialized;
        }

        void markInitialized() {
            initialized = true;
        }

        void touch() {
            lastUsedNanos = System.nanoTime();
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final int maxSessions;

    public McpSessions(int maxSessions) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1, not " + maxSessions);
        }
        this.maxSessions = maxSessions;
    }

    /** Creates a session with a 128-bit random id, dropping the least recently used one when full. */
    public synchronized Session create(String protocolVersion) {
        while (sessions.size() >= maxSessions) {
            sessions.values().stream()
                    .min(Comparator.comparingLong(session -> session.lastUsedNanos))
                    .ifPresent(oldest -> sessions.remove(oldest.id));
        }
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        Session session = new Session(HexFormat.of().formatHex(id), protocolVersion);
        sessions.put(session.id, session);
        return session;
    }

    /** Finds a session and marks it used. */
    public Optional<Session> find(String id) {
        Session session = id == null ? null : sessions.get(id);
        if (session != null) {
            session.touch();
        }
        return Optional.ofNullable(session);
    }

    public boolean remove(String id) {
        return id != null && sessions.remove(id) != null;
    }

    public int size() {
        return sessions.size();
    }
}
