package dev.claudebottle.egress.policy;

/**
 * Where a request wants to go, after parsing and normalisation.
 *
 * @param host normalised host (name in punycode, or canonical IP literal)
 * @param port TCP port
 * @param tunnel true for a CONNECT tunnel (default port 443), false for plain http (80)
 */
public record Target(String host, int port, boolean tunnel) {

    public int defaultPort() {
        return tunnel ? 443 : 80;
    }

    /** Returns {@code host:port}, with brackets around an IPv6 literal. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
