package dev.claudebottle.supervise.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks the {@code Host} and {@code Origin} headers against the names the server is reached by.
 * A web page that rebinds its own DNS name to the bundle's address still sends its own name in
 * {@code Host} and {@code Origin}, so it is turned away (MCP streamable HTTP transport, "Security
 * Warning").
 */
public final class HostGuard {

    private final Set<String> hosts = new HashSet<>();
    private final Set<String> origins = new HashSet<>();

    public HostGuard(List<String> hostNames, int port) {
        for (String name : hostNames) {
            String lower = name.toLowerCase(Locale.ROOT);
            hosts.add(lower + ":" + port);
            if (port == 80) {
                hosts.add(lower);
            }
        }
        for (String host : hosts) {
            origins.add("http://" + host);
        }
    }

    /** Rejects a missing Host header, because HTTP/1.1 requires one (RFC 9112, section 3.2). */
    public boolean allowsHost(String host) {
        return host != null && hosts.contains(host.toLowerCase(Locale.ROOT));
    }

    /** Accepts a missing Origin header, because browsers send one and non-browser MCP clients need not. */
    public boolean allowsOrigin(String origin) {
        return origin == null || origins.contains(origin.toLowerCase(Locale.ROOT));
    }
}
