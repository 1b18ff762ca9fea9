package dev.claudebottle.credproxy;

import dev.claudebottle.credproxy.internal.forward.CredProxyServer;
import dev.claudebottle.credproxy.route.RouteTable;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A running cred-proxy: a plain-HTTP reverse proxy for the bottle's internal network. Each
 * request below a route path loses every credential the agent put on it, gains the route's
 * token and goes to the route's upstream over HTTPS through egress-proxy.
 *
 * <pre>{@code
 * try (CredProxy proxy = CredProxy.start(config, TokenSource.of(tokens))) {
 *     proxy.address();
 * }
 * }</pre>
 */
public final class CredProxy implements AutoCloseable {

    private final CredProxyServer server;

    private CredProxy(CredProxyServer server) {
        this.server = server;
    }

    /** Starts cred-proxy on its own event-loop group, which {@link #close()} shuts down. */
    public static CredProxy start(CredProxyConfig config, TokenSource tokens) {
        return start(config, tokens, null);
    }

    /**
     * Starts cred-proxy on {@code shared} (NIO or epoll), which {@link #close()} leaves running,
     * or on its own group when {@code shared} is null.
     *
     * @throws CredProxyException when the listen address cannot be bound
     */
    public static CredProxy start(CredProxyConfig config, TokenSource tokens, EventLoopGroup shared) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(tokens, "tokens");
        return new CredProxy(CredProxyServer.start(config, tokens, shared));
    }

    /** Returns the bound address, with the real port when port 0 was configured. */
    public InetSocketAddress address() {
        return server.address();
    }

    /**
     * Replaces the routes for requests that start after this call; requests in flight keep
     * their route. Pooled upstream connections stay open.
     *
     * <p>NOTE: egress-proxy's credential bindings are not updated here; the caller must give it
     * {@link TokenBinding#of} for the new table, or new upstream hosts will be blocked as leaks.
     */
    public void reload(RouteTable routes) {
        server.reload(Objects.requireNonNull(routes, "routes"));
    }

    /** Stops listening, closes pooled connections and, if it owns one, shuts its event-loop group down. */
    @Override
    public void close() {
        server.close();
    }
}
