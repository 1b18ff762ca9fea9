package dev.claudebottle.credproxy;

import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.credproxy.route.RouteTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A token cred-proxy injects and an upstream host it may go to. egress-proxy takes these as
 * credential bindings: its DLP lets the value through toward its hosts and blocks it toward any
 * other host.
 *
 * <p>A token shared by several routes, such as one GitHub token for the API and for git, yields
 * one binding per host, all with the same token_ref and value. egress-proxy must then accept the
 * value toward any of those hosts.
 *
 * <p>{@link #toString()} never shows the value.
 *
 * @param tokenRef the token's name, for findings and logs
 * @param value    the token value
 * @param host     the lower-case upstream host the value is injected for
 */
public record TokenBinding(String tokenRef, String value, String host) {

    public TokenBinding {
        Objects.requireNonNull(tokenRef, "tokenRef");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(host, "host");
    }

    /**
     * Lists one binding per distinct (token_ref, upstream host) pair of {@code routes} whose
     * token {@code tokens} provides, in route order. Routes whose token is missing yield nothing.
     */
    public static List<TokenBinding> of(RouteTable routes, TokenSource tokens) {
        Set<List<String>> seen = new LinkedHashSet<>();
        List<TokenBinding> bindings = new ArrayList<>();
        for (Route route : routes.routes()) {
            if (!seen.add(List.of(route.tokenRef(), route.upstreamHost()))) {
                continue;
            }
            tokens.token(route.tokenRef()).ifPresent(
                    value -> bindings.add(new TokenBinding(route.tokenRef(), value, route.upstreamHost())));
        }
        return bindings;
    }

    @Override
    public String toString() {
        return "TokenBinding[tokenRef=" + tokenRef + ", value=(redacted), host=" + host + "]";
    }
}
