package dev.claudebottle.egress.config;

import java.util.Objects;
import java.util.Set;

/**
 * The last line of a refusal's body: what the client can do next. A refusal of the host, port or
 * address gets {@code access}; a request stopped by DLP gets {@code secret}, because no allowlist
 * change lets a secret through. Other refusals (a malformed request, a loop) get neither.
 *
 * @param access how to ask for a host, such as whom to ask or which tool to call
 * @param secret what to do about a secret found in the request
 */
public record RefusalHints(String access, String secret) {

    /** The hints of a proxy on its own, where a person runs it. */
    public static final RefusalHints DEFAULTS = new RefusalHints(
            "If this host is needed, ask the operator of this proxy to add it to the allowlist.",
            "Remove the secret from the request. Secrets are refused toward every host, whatever the "
                    + "allowlist allows; a credential the client needs should be injected by a proxy that holds it.");

    public RefusalHints {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(secret, "secret");
    }

    /** Rules of refusals that an allowlist change can lift. */
    private static final Set<String> ACCESS_RULES = Set.of("not_allowlisted", "port_not_allowed", "ip_literal",
            "private_address");

    /** Returns the hint for a refusal by {@code rule}, or an empty string when none applies. */
    public String forRule(String rule) {
        if (rule.startsWith("dlp:")) {
            return secret;
        }
        return ACCESS_RULES.contains(rule) ? access : "";
    }
}
