package dev.claudebottle.egress.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.claudebottle.egress.config.AllowRule;

/**
 * The allowlist: exact names, IP literals and {@code *.suffix} wildcards, matched against a
 * normalised host. A wildcard covers subdomains at any depth but not the suffix itself, so
 * {@code *.example.com} allows {@code a.b.example.com} and refuses {@code example.com}.
 * Immutable; a reload builds a new one.
 */
public final class Allowlist {

    private final List<AllowRule> rules;

    public Allowlist(List<AllowRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<AllowRule> rules() {
        return rules;
    }

    /** The outcome of a lookup: the entry that allows the target, or a refusal. */
    public sealed interface Match {
        /** The target is allowed by {@code rule}. */
        record Allowed(AllowRule rule) implements Match {
        }

        /** The target is refused. */
        record Refused(Refusal refusal) implements Match {
        }
    }

    /**
     * Looks up a normalised host and port. Exact entries win over wildcards; among entries for
     * the same host, the first that allows the port wins.
     *
     * @param defaultPort 443 for CONNECT, 80 for plain http; used for entries without ports
     */
    public Match match(String host, int port, int defaultPort) {
        List<AllowRule> hostMatches = new ArrayList<>();
        for (AllowRule rule : rules) {
            if (rule.host().equals(host)) {
                hostMatches.add(rule);
            }
        }
        if (hostMatches.isEmpty() && !HostNames.isIpLiteral(host)) {
            for (AllowRule rule : rules) {
                if (rule.isWildcard() && host.endsWith(rule.host().substring(1))) {
                    hostMatches.add(rule);
                }
            }
        }
        if (hostMatches.isEmpty()) {
            return new Match.Refused(notListed(host));
        }
        for (AllowRule rule : hostMatches) {
            if (rule.allowsPort(port, defaultPort)) {
                return new Match.Allowed(rule);
            }
        }
        return new Match.Refused(Refusal.forbidden("port_not_allowed", "port " + port
                + " is not allowed for " + host + "; allowed: " + allowedPorts(hostMatches, defaultPort)
                + ". Add it to the entry's ports to allow it"));
    }

    private Refusal notListed(String host) {
        if (HostNames.isIpLiteral(host)) {
            return Refusal.forbidden("ip_literal", "IP address " + host
                    + " is not on the allowlist; requests by address are refused unless the address "
                    + "itself is listed");
        }
        for (AllowRule rule : rules) {
            if (rule.isWildcard() && rule.host().substring(2).equals(host)) {
                return Refusal.forbidden("not_allowlisted", host + " is not on the allowlist: "
                        + rule.host() + " covers subdomains of " + host
                        + " but not the name itself; add an entry for " + host + " to allow it");
            }
        }
        return Refusal.forbidden("not_allowlisted", host + " is not on the allowlist");
    }

    private static String allowedPorts(List<AllowRule> matches, int defaultPort) {
        return matches.stream()
                .flatMap(r -> r.ports().isEmpty() ? java.util.stream.Stream.of(defaultPort)
                        : r.ports().stream())
                .distinct()
                .map(String::valueOf)
                .collect(Collectors.joining(", "));
    }
}
