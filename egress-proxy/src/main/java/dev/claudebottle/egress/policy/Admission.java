package dev.claudebottle.egress.policy;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

import dev.claudebottle.egress.config.AllowRule;

/**
 * The result of the connection-level policy steps (allowlist, resolution, SSRF guard, loop
 * check) for one target.
 *
 * @param target the target that was checked
 * @param rule the allowlist entry that allowed it, or null when refused
 * @param addresses every address the name resolved to, all checked; the proxy connects to the
 *     first
 * @param refusal why it was refused, or null when allowed
 */
public record Admission(Target target, AllowRule rule, List<InetAddress> addresses,
                        Refusal refusal) {

    public static Admission allowed(Target target, AllowRule rule, List<InetAddress> addresses) {
        return new Admission(target, Objects.requireNonNull(rule), List.copyOf(addresses), null);
    }

    public static Admission refused(Target target, Refusal refusal) {
        return new Admission(target, null, List.of(), Objects.requireNonNull(refusal));
    }

    public boolean isAllowed() {
        return refusal == null;
    }

    /** Returns the address the proxy connects to. */
    public InetAddress connectAddress() {
        return addresses.get(0);
    }
}
