package dev.claudebottle.credproxy.route;

import java.net.URI;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One cred-proxy route: requests under {@code path} go to {@code upstream} with the token
 * named {@code tokenRef} injected as {@code authScheme} describes.
 *
 * <p>Build routes with {@link RouteTable#parse}, which validates them; this record only
 * checks its invariants. It stores the token's name, never its value.
 *
 * @param path       the prefix the agent calls, with leading and trailing slash ({@code /gh-api/})
 * @param upstream   the {@code https} URL requests go to, possibly with a base path
 * @param authScheme how the token is presented upstream
 * @param tokenRef   the name of the secret that contains the token ({@code GH_PAT})
 * @param roles      what the launcher configures inside the agent for this route
 */
public record Route(String path, URI upstream, AuthScheme authScheme, String tokenRef, Set<RouteRole> roles) {

    public Route {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(authScheme, "authScheme");
        Objects.requireNonNull(tokenRef, "tokenRef");
        if (!path.startsWith("/") || !path.endsWith("/")) {
            throw new IllegalArgumentException("route path must start and end with '/': " + path);
        }
        if (!"https".equals(upstream.getScheme()) || upstream.getHost() == null) {
            throw new IllegalArgumentException("route upstream must be an https URL with a host: " + upstream);
        }
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** Returns the route path without its trailing slash; {@code ""} for the root route. */
    public String mount() {
        return path.substring(0, path.length() - 1);
    }

    /** Returns the upstream host in lower case. */
    public String upstreamHost() {
        return upstream.getHost().toLowerCase(java.util.Locale.ROOT);
    }

    /** Returns the upstream port, 443 when the URL names none. */
    public int upstreamPort() {
        return upstream.getPort() == -1 ? 443 : upstream.getPort();
    }

    /** Returns the upstream's base path without trailing slash; {@code ""} when it has none. */
    public String upstreamBasePath() {
        String raw = upstream.getRawPath();
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    }

    /** Returns the value for the upstream {@code Host} header: the host, plus the port if not 443. */
    public String upstreamAuthority() {
        return upstreamPort() == 443 ? upstreamHost() : upstreamHost() + ":" + upstreamPort();
    }

    /** Returns whether this route carries {@code role}. */
    public boolean has(RouteRole role) {
        return roles.contains(role);
    }
}
