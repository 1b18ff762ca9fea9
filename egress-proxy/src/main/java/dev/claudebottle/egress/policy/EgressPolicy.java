package dev.claudebottle.egress.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.claudebottle.egress.config.AllowRule;

/**
 * The connection-level steps of the egress policy, in order. First the allowlist (exact names,
 * wildcards, ports, IP literals), then one resolution of the name, then the SSRF guard on every
 * resolved address unless the entry allows private addresses, and last the loop check against the
 * proxy's own listener. Instances are immutable and a reload swaps in a new one. A tunnel keeps
 * the admission it got at CONNECT; each plain http request is checked against the one in force.
 */
public final class EgressPolicy {

    private final Allowlist allowlist;
    private final HostResolver resolver;
    private final InetSocketAddress listenAddress;

    public EgressPolicy(Allowlist allowlist, HostResolver resolver, InetSocketAddress listenAddress) {
        this.allowlist = allowlist;
        this.resolver = resolver;
        this.listenAddress = listenAddress;
    }

    public Allowlist allowlist() {
        return allowlist;
    }

    /** Runs the allowlist step alone, without resolving; used to refuse early and cheaply. */
    public Allowlist.Match matchAllowlist(Target target) {
        return allowlist.match(target.host(), target.port(), target.defaultPort());
    }

    /**
     * Admits or refuses {@code target}. The future never completes exceptionally: a resolution
     * failure is a refusal.
     */
    public CompletableFuture<Admission> admit(Target target) {
        Allowlist.Match match = matchAllowlist(target);
        if (match instanceof Allowlist.Match.Refused refused) {
            return CompletableFuture.completedFuture(Admission.refused(target, refused.refusal()));
        }
        AllowRule rule = ((Allowlist.Match.Allowed) match).rule();
        return resolver.resolve(target.host()).handle((addresses, failure) -> {
            if (failure != null || addresses == null || addresses.isEmpty()) {
                return Admission.refused(target, Refusal.forbidden("dns_failure",
                        target.host() + " did not resolve; a name that does not resolve is refused"));
            }
            return checkAddresses(target, rule, addresses);
        });
    }

    private Admission checkAddresses(Target target, AllowRule rule, List<InetAddress> addresses) {
        for (InetAddress address : addresses) {
            if (!rule.allowPrivate()) {
                Optional<String> reason = AddressGuard.nonPublicReason(address);
                if (reason.isPresent()) {
                    return Admission.refused(target, Refusal.forbidden("private_address",
                            target.host() + " resolves to " + IpLiterals.canonical(address) + ", which is "
                                    + reason.get() + "; set allow_private: true on the entry for "
                                    + rule.host() + " if this is intended"));
                }
            }
            if (isProxyItself(address, target.port())) {
                return Admission.refused(target, Refusal.forbidden("loop", "the request is aimed "
                        + "at this proxy itself (" + target.authority() + "), which would loop"));
            }
        }
        return Admission.allowed(target, rule, addresses);
    }

    private boolean isProxyItself(InetAddress address, int port) {
        if (listenAddress == null || port != listenAddress.getPort()) {
            return false;
        }
        InetAddress bound = listenAddress.getAddress();
        if (address.equals(bound) || address.isAnyLocalAddress()) {
            return true;
        }
        if (bound != null && bound.isAnyLocalAddress()) {
            if (address.isLoopbackAddress()) {
                return true;
            }
            try {
                return NetworkInterface.getByInetAddress(address) != null;
            } catch (SocketException e) {
                return true;
            }
        }
        return false;
    }
}
