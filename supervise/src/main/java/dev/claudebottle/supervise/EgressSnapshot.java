package dev.claudebottle.supervise;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The bottle's current egress configuration as the agent may see it: allowlist entries and credential
 * routes, with token names but never token values. The bundle supplies a fresh snapshot on each
 * {@code list-egress} call, so approvals applied live show up at once.
 *
 * @param allowedHosts allowlist entries: exact host names, {@code *.suffix} wildcards, or
 *     {@code host:port} when a port other than 443 is allowed
 * @param routes cred-proxy routes
 */
public record EgressSnapshot(List<String> allowedHosts, List<CredentialRoute> routes) {

    public EgressSnapshot {
        allowedHosts = List.copyOf(allowedHosts);
        routes = List.copyOf(routes);
    }

    public static EgressSnapshot empty() {
        return new EgressSnapshot(List.of(), List.of());
    }

    /**
     * One cred-proxy route.
     *
     * @param path the path prefix on cred-proxy, such as {@code /github}
     * @param upstream the upstream base URL
     * @param authScheme how the token is sent, such as {@code Bearer}
     * @param tokenRef the name of the host environment variable that holds the token
     * @param role an optional role name, or null
     */
    public record CredentialRoute(String path, String upstream, String authScheme, String tokenRef, String role) {

        public CredentialRoute {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(authScheme, "authScheme");
            Objects.requireNonNull(tokenRef, "tokenRef");
        }
    }

    /**
     * Tells whether an allowlist entry covers {@code host} on {@code port}: an exact name, or a
     * {@code *.suffix} wildcard that matches names below the suffix but not the suffix itself. An
     * entry without a port covers port 443, and port 80 of plain-HTTP requests.
     */
    public boolean allows(String host, int port) {
        String wanted = host.toLowerCase(Locale.ROOT);
        for (String entry : allowedHosts) {
            if (entryAllows(entry.toLowerCase(Locale.ROOT), wanted, port)) {
                return true;
            }
        }
        return false;
    }

    private static boolean entryAllows(String entry, String host, int port) {
        String name = entry;
        int entryPort = -1;
        int colon = entry.lastIndexOf(':');
        if (colon > 0 && entry.indexOf(':') == colon) {
            try {
                entryPort = Integer.parseInt(entry.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
            name = entry.substring(0, colon);
        }
        boolean portMatches = entryPort == -1 ? port == 443 || port == 80 : entryPort == port;
        boolean nameMatches = name.startsWith("*.")
                ? host.endsWith(name.substring(1)) && host.length() > name.length() - 1
                : host.equals(name);
        return portMatches && nameMatches;
    }
}
