package dev.claudebottle.credproxy.route;

import dev.claudebottle.credproxy.CredProxyException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the parsed {@code cred_proxy.routes} list into routes, collecting every problem
 * before failing so that one run shows the user all of them.
 */
final class RouteTableParser {

    static final String PATH = "path";
    static final String UPSTREAM = "upstream";
    static final String AUTH_SCHEME = "auth_scheme";
    static final String TOKEN_REF = "token_ref";
    static final String ROLE = "role";
    private static final List<String> KEYS = List.of(PATH, UPSTREAM, AUTH_SCHEME, TOKEN_REF, ROLE);

    /** Unreserved characters of RFC 3986, section 2.3: route segments need no encoding. */
    private static final Pattern PATH_SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");
    /** The shape of an environment variable name, which is where the standalone main reads tokens. */
    private static final Pattern TOKEN_REF_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** An HTTP field name: a {@code token} of RFC 9110, section 5.1. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /**
     * Headers that cred-proxy sets or strips itself. A token injected into one of them would be
     * overwritten or would break message framing.
     */
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te",
            "trailer", "proxy-authorization", "proxy-connection", "cookie");
    private static final List<String> SCHEME_NAMES = List.of("Bearer", "token", "Basic");

    private final List<?> input;
    private final List<String> problems = new ArrayList<>();

    RouteTableParser(List<?> input) {
        this.input = input;
    }

    List<Route> parse() {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            Route route = parseRoute(i, input.get(i));
            if (route != null) {
                routes.add(route);
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(crossRouteProblems(routes));
        }
        if (!problems.isEmpty()) {
            throw new CredProxyException(describe(problems));
        }
        return routes;
    }

    static String describe(List<String> problems) {
        String header = problems.size() == 1
                ? "invalid cred_proxy route: "
                : "invalid cred_proxy routes (" + problems.size() + " problems):\n  ";
        return header + String.join("\n  ", problems);
    }

    private Route parseRoute(int index, Object element) {
        String where = "cred_proxy.routes[" + index + "]";
        if (!(element instanceof Map<?, ?> map)) {
            problems.add(where + ": expected a map with keys " + KEYS + ", got " + describeType(element));
            return null;
        }
        Object rawPath = map.get(PATH);
        if (rawPath instanceof String text) {
            where = where + " (" + text + ")";
        }
        int before = problems.size();
        checkKeys(where, map);

        String path = parsePath(where, map.get(PATH));
        URI upstream = parseUpstream(where, map.get(UPSTREAM));
        AuthScheme scheme = parseAuthScheme(where, map.get(AUTH_SCHEME));
        String tokenRef = parseTokenRef(where, map.get(TOKEN_REF));
        Set<RouteRole> roles = parseRoles(where, map.get(ROLE));

        if (problems.size() != before) {
            return null;
        }
        return new Route(path, upstream, scheme, tokenRef, roles);
    }

    private void checkKeys(String where, Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String name)) {
                problems.add(where + ": key " + key + " is not a string; the keys are " + KEYS);
            } else if (!KEYS.contains(name)) {
                problems.add(where + ": unknown key '" + name + "'" + Suggestions.hint(name, KEYS)
                        + " (the keys are " + String.join(", ", KEYS) + ")");
            }
        }
    }

    private String parsePath(String where, Object value) {
        String text = requireString(where, PATH, value, "/gh-api/");
        if (text == null) {
            return null;
        }
        if (!text.startsWith("/")) {
            problems.add(where + ": path '" + text + "' must start with '/', for example '/" + text + "'");
            return null;
        }
        String canonical = text.endsWith("/") ? text : text + "/";
        if (canonical.equals("/")) {
            return canonical;
        }
        String inner = canonical.substring(1, canonical.length() - 1);
        for (String segment : inner.split("/", -1)) {
            if (!PATH_SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                problems.add(where + ": path '" + text + "' has the segment '" + segment
                        + "'; use non-empty segments of letters, digits and -._~ only, without '.' or '..'");
                return null;
            }
        }
        return canonical;
    }

    private URI parseUpstream(String where, Object value) {
        String text = requireString(where, UPSTREAM, value, "https://api.github.com");
        if (text == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            problems.add(where + ": upstream '" + text + "' is not a valid URL (" + e.getReason()
                    + "); write it as https://host[:port][/base/path]");
            return null;
        }
        String problem = upstreamProblem(uri);
        if (problem != null) {
            problems.add(where + ": upstream '" + text + "' " + problem);
            return null;
        }
        return uri;
    }

    private static String upstreamProblem(URI uri) {
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return "must use https, because cred-proxy sends tokens only over TLS; write https://"
                    + (uri.getHost() == null ? "host" : uri.getHost());
        }
        if (uri.getHost() == null) {
            return "has no host; write it as https://host[:port][/base/path]";
        }
        if (uri.getHost().startsWith("[")) {
            return "is an IPv6 literal, which cred-proxy does not support; use a host name and pin it to the"
                    + " address in egress-proxy's resolve map";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not carry a user name or password; put the secret in token_ref";
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "must not have a query or fragment; remove everything from '?' or '#'";
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            String inner = path.substring(1, path.endsWith("/") ? path.length() - 1 : path.length());
            for (String segment : inner.split("/", -1)) {
                if (!PATH_SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                    return "has the base path segment '" + segment
                            + "'; use non-empty segments of letters, digits and -._~ only, without '.' or '..'";
                }
            }
        }
        return null;
    }

    private AuthScheme parseAuthScheme(String where, Object value) {
        if (value == null) {
            return AuthScheme.BEARER;
        }
        String text = requireString(where, AUTH_SCHEME, value, "Bearer");
        if (text == null) {
            return null;
        }
        switch (text.toLowerCase(Locale.ROOT)) {
            case "bearer":
                return AuthScheme.BEARER;
            case "token":
                return AuthScheme.TOKEN;
            case "basic":
                return AuthScheme.BASIC;
            default:
                break;
        }
        if (!HEADER_NAME.matcher(text).matches()) {
            problems.add(where + ": auth_scheme '" + text + "' is neither Bearer, token nor Basic, nor a valid"
                    + " header name such as x-api-key");
            return null;
        }
        String typo = Suggestions.closest(text, SCHEME_NAMES).orElse(null);
        if (typo != null) {
            problems.add(where + ": auth_scheme '" + text + "' is not a known scheme; did you mean '" + typo
                    + "'? (a header name such as x-api-key is also accepted)");
            return null;
        }
        if (RESERVED_HEADERS.contains(text.toLowerCase(Locale.ROOT))) {
            problems.add(where + ": auth_scheme '" + text + "' names a header cred-proxy manages itself;"
                    + " use Bearer, token, Basic or an API-key header such as x-api-key");
            return null;
        }
        return AuthScheme.header(text);
    }

    private String parseTokenRef(String where, Object value) {
        String text = requireString(where, TOKEN_REF, value, "GH_PAT");
        if (text != null && !TOKEN_REF_NAME.matcher(text).matches()) {
            problems.add(where + ": token_ref '" + text + "' must be a secret name of letters, digits and '_'"
                    + " not starting with a digit, such as GH_PAT; put the name here, never the token");
            return null;
        }
        return text;
    }

    private Set<RouteRole> parseRoles(String where, Object value) {
        if (value == null) {
            return Set.of();
        }
        List<?> names;
        if (value instanceof String single) {
            names = List.of(single);
        } else if (value instanceof List<?> list) {
            names = list;
        } else {
            problems.add(where + ": role must be one role name or a list of them, got " + describeType(value));
            return Set.of();
        }
        Set<RouteRole> roles = EnumSet.noneOf(RouteRole.class);
        for (Object name : names) {
            if (!(name instanceof String text)) {
                problems.add(where + ": role entry " + describeType(name) + " is not a role name; the roles are "
                        + RouteRole.manifestNames());
                continue;
            }
            RouteRole.fromManifestName(text).ifPresentOrElse(roles::add, () -> problems.add(
                    where + ": unknown role '" + text + "'" + Suggestions.hint(text, RouteRole.manifestNames())
                            + " (the roles are " + String.join(", ", RouteRole.manifestNames()) + ")"));
        }
        return roles;
    }

    private String requireString(String where, String key, Object value, String example) {
        if (value == null) {
            problems.add(where + ": missing key '" + key + "', for example " + key + ": " + example);
            return null;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            problems.add(where + ": " + key + " must be a non-empty string such as '" + example + "', got "
                    + describeType(value));
            return null;
        }
        if (!text.equals(text.strip())) {
            problems.add(where + ": " + key + " '" + text + "' has leading or trailing spaces; remove them");
            return null;
        }
        return text;
    }

    /** Checks what concerns several routes: unique paths, single-route roles, one git rule per origin. */
    static List<String> crossRouteProblems(List<Route> routes) {
        List<String> found = new ArrayList<>();
        Map<String, Integer> pathOwners = new HashMap<>();
        Map<RouteRole, Integer> roleOwners = new HashMap<>();
        Map<String, Integer> gitOrigins = new HashMap<>();
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            String where = "cred_proxy.routes[" + i + "] (" + route.path() + ")";

            Integer samePath = pathOwners.putIfAbsent(route.path(), i);
            if (samePath != null) {
                found.add(where + ": path " + route.path() + " is also used by cred_proxy.routes[" + samePath
                        + "]; give each route its own path");
            }
            for (RouteRole role : route.roles()) {
                Integer owner = roleOwners.putIfAbsent(role, i);
                if (owner != null && role.singleRoute()) {
                    found.add(where + ": role " + role.manifestName() + " is already on cred_proxy.routes[" + owner
                            + "] (" + routes.get(owner).path() + "); at most one route may carry it");
                }
            }
            if (route.has(RouteRole.GIT_INSTEADOF)) {
                String origin = route.upstream().getScheme() + "://" + route.upstreamAuthority()
                        + route.upstreamBasePath();
                Integer owner = gitOrigins.putIfAbsent(origin, i);
                if (owner != null) {
                    found.add(where + ": role git-insteadof for " + origin + " is already on cred_proxy.routes["
                            + owner + "]; git can rewrite a URL prefix to only one route");
                }
            }
        }
        return found;
    }

    private static String describeType(Object value) {
        if (value == null) {
            return "nothing (null)";
        }
        if (value instanceof Map<?, ?>) {
            return "a map";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof String text) {
            return "the string '" + text + "'";
        }
        return "a " + value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " (" + value + ")";
    }
}
