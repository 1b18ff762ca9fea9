package dev.claudebottle.credproxy.internal.forward;

import dev.claudebottle.credproxy.TokenSource;
import dev.claudebottle.credproxy.internal.log.RequestLog;
import dev.claudebottle.credproxy.route.RouteTable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state every agent connection shares: the current routes (replaced on reload), the tokens,
 * the upstream pool and the request log.
 */
final class ForwardingContext {

    private final AtomicReference<RouteTable> routes;
    private final TokenSource tokens;
    private final UpstreamPool pool;
    private final RequestLog requestLog;

    ForwardingContext(RouteTable routes, TokenSource tokens, UpstreamPool pool, RequestLog requestLog) {
        this.routes = new AtomicReference<>(routes);
        this.tokens = tokens;
        this.pool = pool;
        this.requestLog = requestLog;
    }

    RouteTable routes() {
        return routes.get();
    }

    void replaceRoutes(RouteTable table) {
        routes.set(table);
    }

    TokenSource tokens() {
        return tokens;
    }

    UpstreamPool pool() {
        return pool;
    }

    RequestLog requestLog() {
        return requestLog;
    }
}
