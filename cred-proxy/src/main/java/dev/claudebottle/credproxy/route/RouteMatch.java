package dev.claudebottle.credproxy.route;

/**
 * The route a request matched and the path it has upstream.
 *
 * @param route        the matched route
 * @param upstreamPath the upstream's base path followed by what came after the route path,
 *                     still percent-encoded as the client sent it, without the query
 */
public record RouteMatch(Route route, String upstreamPath) {
}
