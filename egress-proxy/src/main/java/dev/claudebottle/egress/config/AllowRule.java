package dev.claudebottle.egress.config;

import java.util.List;
import java.util.Objects;

/**
 * One allowlist entry.
 *
 * @param host normalised host: an exact name, a {@code *.suffix} wildcard that covers
 *     subdomains at any depth (but not the suffix itself), or an IP literal in canonical form
 * @param ports ports allowed for this host; empty means the default (443 for CONNECT, 80 for
 *     plain http)
 * @param allowPrivate whether the host may resolve to loopback, private, link-local or other
 *     non-public addresses
 */
public record AllowRule(String host, List<Integer> ports, boolean allowPrivate) {

    public AllowRule {
        Objects.requireNonNull(host, "host");
        ports = List.copyOf(ports);
    }

    public boolean isWildcard() {
        return host.startsWith("*.");
    }

    /** Returns whether {@code port} is allowed, given the default port of the request's scheme. */
    public boolean allowsPort(int port, int defaultPort) {
        return ports.isEmpty() ? port == defaultPort : ports.contains(port);
    }
}
