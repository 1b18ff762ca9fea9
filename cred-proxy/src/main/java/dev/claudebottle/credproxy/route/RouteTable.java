package dev.claudebottle.credproxy.route;

import dev.claudebottle.credproxy.CredProxyException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The validated, immutable set of cred-proxy routes, matched by longest path prefix.
 *
 * <p>{@link #parse} reads the structure a YAML or JSON parser returns for
 * {@code cred_proxy.routes}: a list of maps with the keys {@code path}, {@code upstream},
 * {@code auth_scheme}, {@code token_ref} and {@code role}, the same keys as manifests of the
 * Python original.
 */
public final class RouteTable {

    private static final RouteTable EMPTY = new RouteTable(List.of());

    private final List<Route> routes;
    private final List<Route> longestFirst;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.longestFirst = routes.stream()
                .sorted(Comparator.comparingInt((Route route) -> route.path().length()).reversed())
                .toList();
    }

    /** Returns a table with no routes: every request gets a 404. */
    public static RouteTable empty() {
        return EMPTY;
    }

    /**
     * Parses and validates {@code cred_proxy.routes} from a manifest or bundle config.
     *
     * @param routes the parsed list, each element a map of manifest keys to values; null is
     *               taken as no routes
     * @throws CredProxyException listing every problem found, each naming the route and key
     */
    public static RouteTable parse(List<?> routes) {
        if (routes == null || routes.isEmpty()) {
            return EMPTY;
        }
        return new RouteTable(new RouteTableParser(routes).parse());
    }

    /**
     * Returns a table of already-built routes after the same cross-route checks as
     * {@link #parse}: unique paths, single-route roles, one git rule per upstream origin.
     */
    public static RouteTable of(List<Route> routes) {
        List<String> problems = RouteTableParser.crossRouteProblems(routes);
        if (!problems.isEmpty()) {
            throw new CredProxyException(RouteTableParser.describe(problems));
        }
        return new RouteTable(routes);
    }

    /** Returns the routes in manifest order. */
    public List<Route> routes() {
        return routes;
    }

    /** Returns the route paths in manifest order, for the 404 response. */
    public List<String> paths() {
        return routes.stream().map(Route::path).toList();
    }

    /** Returns the route carrying {@code role}, the first in manifest order if several do. */
    public Optional<Route> withRole(RouteRole role) {
        return routes.stream().filter(route -> route.has(role)).findFirst();
    }

    /**
     * Finds the route with the longest path that is a segment-wise prefix of
     * {@code normalizedPath}: {@code /gh-api/} matches {@code /gh-api}, {@code /gh-api/} and
     * {@code /gh-api/repos}, but not {@code /gh-apix}.
     *
     * @param normalizedPath a path already checked by {@link RequestPath#parse}
     */
    public Optional<RouteMatch> match(String normalizedPath) {
        for (Route route : longestFirst) {
            String mount = route.mount();
            if (normalizedPath.equals(mount) || normalizedPath.startsWith(mount + "/")) {
                String rest = normalizedPath.substring(mount.length());
                return Optional.of(new RouteMatch(route, upstreamPath(route, rest)));
            }
        }
        return Optional.empty();
    }

    private static String upstreamPath(Route route, String rest) {
        String path = route.upstreamBasePath() + rest;
        return path.isEmpty() ? "/" : path;
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }

    @Override
    public String toString() {
        return "RouteTable" + paths();
    }
}
