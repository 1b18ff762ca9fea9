package dev.claudebottle.credproxy;

import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.credproxy.route.RouteTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A token cred-proxy injects and every upstream host it may go to. egress-proxy takes these as
 * credential bindings: its DLP lets the value through toward one of {@code hosts} and blocks it
 * toward any other host.
 *
 * <p>A token shared by several routes, such as one GitHub token for the API and for git, has
 * several hosts; egress-proxy must accept the value toward each of them.
 *
 * <p>{@link #toString()} never shows the value.
 *
 * @param tokenRef the token's name, for findings and logs
 * @param value    the token value
 * @param hosts    the lower-case upstream hosts the value is injected for, in route order
 */
public record TokenBinding(String tokenRef, String value, Set<String> hosts) {

    public TokenBinding {
        Objects.requireNonNull(tokenRef, "tokenRef");
        Objects.requireNonNull(value, "value");
        hosts = Set.copyOf(new LinkedHashSet<>(hosts));
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a token binding needs at least one host: " + tokenRef);
        }
    }

    /**
     * Lists one binding per token_ref of {@code routes} that {@code tokens} provides, with the
     * upstream hosts of all routes using it. Routes whose token is missing yield nothing.
     */
    public static List<TokenBinding> of(RouteTable routes, TokenSource tokens) {
        Map<String, Set<String>> hostsByToken = new LinkedHashMap<>();
        for (Route route : routes.routes()) {
            hostsByToken.computeIfAbsent(route.tokenRef(), unused -> new LinkedHashSet<>()).add(route.upstreamHost());
        }
        List<TokenBinding> bindings = new ArrayList<>();
        hostsByToken.forEach((tokenRef, hosts) -> {
            Optional<String> value = tokens.token(tokenRef);
            value.ifPresent(token -> bindings.add(new TokenBinding(tokenRef, token, hosts)));
        });
        return bindings;
    }

    @Override
    public String toString() {
        return "TokenBinding[tokenRef=" + tokenRef + ", value=(redacted), hosts=" + hosts + "]";
    }
}
