package dev.claudebottle.credproxy.internal.forward;

import dev.claudebottle.credproxy.TokenSource;
import dev.claudebottle.credproxy.route.RequestPath;
import dev.claudebottle.credproxy.route.RouteMatch;
import dev.claudebottle.credproxy.route.RouteTable;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether an inbound request may go upstream, rejecting early in this order: malformed
 * or ambiguous target, CONNECT, unsupported transfer coding, git push, no matching route,
 * missing token. Messages name the problem and the fix and never contain a token.
 */
final class RequestAdmission {

    private static final String GIT_RECEIVE_PACK = "git-receive-pack";

    /** The outcome of admission. */
    sealed interface Decision permits Admitted, Rejected {
    }

    /**
     * A request that may go upstream.
     *
     * @param match           the route and upstream path
     * @param path            the checked inbound path and query
     * @param upstreamRequest the head to send upstream, credential included
     * @param secrets         values the agent must never see: the token and its header form
     */
    record Admitted(RouteMatch match, RequestPath path, HttpRequest upstreamRequest, List<String> secrets)
            implements Decision {
    }

    /**
     * A request that cred-proxy rejects with its own error response.
     *
     * @param status  the status to send
     * @param message the plain-text explanation for the agent
     * @param route   the matched route path, or {@code "-"}
     */
    record Rejected(HttpResponseStatus status, String message, String route) implements Decision {
    }

    private RequestAdmission() {
    }

    static Decision decide(HttpRequest request, RouteTable routes, TokenSource tokens) {
        if (request.decoderResult().isFailure()) {
            return reject(HttpResponseStatus.BAD_REQUEST, "the request could not be parsed as HTTP/1.1", "-");
        }
        if (request.method().equals(HttpMethod.CONNECT)) {
            return reject(HttpResponseStatus.METHOD_NOT_ALLOWED, "cred-proxy is a reverse proxy and does not"
                    + " accept CONNECT; send plain HTTP requests to http://cred-proxy:9099/<route path>/...", "-");
        }
        Optional<RequestPath> parsed = RequestPath.parse(request.uri());
        if (parsed.isEmpty()) {
            return reject(HttpResponseStatus.BAD_REQUEST, "rejected request target: "
                    + RequestPath.problem(request.uri()) + "; send a normalised path below a route", "-");
        }
        RequestPath path = parsed.get();
        if (!HeaderRules.hasSupportedFraming(request)) {
            return reject(HttpResponseStatus.NOT_IMPLEMENTED, "Transfer-Encoding other than 'chunked' is not"
                    + " supported; send the body with Content-Length or chunked encoding", "-");
        }
        if (isGitPush(path)) {
            return reject(HttpResponseStatus.FORBIDDEN, "git push over HTTP is not allowed through cred-proxy;"
                    + " push to git://git-gate/<name>.git instead, where pushes are scanned for secrets", "-");
        }

        Optional<RouteMatch> match = routes.match(path.path());
        if (match.isEmpty()) {
            return reject(HttpResponseStatus.NOT_FOUND, "no route matches " + path.path()
                    + "; the routes are " + (routes.isEmpty() ? "(none)" : String.join(" ", routes.paths())), "-");
        }
        RouteMatch matched = match.get();
        String tokenRef = matched.route().tokenRef();
        Optional<String> token = tokens.token(tokenRef);
        if (token.isEmpty()) {
            return reject(HttpResponseStatus.BAD_GATEWAY, "no token named " + tokenRef + " for route "
                    + matched.route().path() + "; set that secret on the host and restart the bottle",
                    matched.route().path());
        }

        String target = path.query() == null ? matched.upstreamPath() : matched.upstreamPath() + "?" + path.query();
        HttpRequest upstream = HeaderRules.upstreamRequest(request, matched.route(), target, token.get());
        String headerValue = matched.route().authScheme().headerValue(token.get());
        return new Admitted(matched, path, upstream, List.of(token.get(), credentialPart(headerValue)));
    }

    /** Strips the scheme word from an {@code Authorization} value, leaving the encoded credential. */
    private static String credentialPart(String headerValue) {
        int space = headerValue.indexOf(' ');
        return space < 0 ? headerValue : headerValue.substring(space + 1);
    }

    /**
     * Detects git's smart-HTTP push: a POST to {@code .../git-receive-pack} or the ref
     * advertisement {@code .../info/refs?service=git-receive-pack}. Both are matched on the
     * decoded last segment and query value, ignoring case.
     */
    static boolean isGitPush(RequestPath path) {
        String decodedPath = QueryStringDecoder.decodeComponent(path.path(), StandardCharsets.UTF_8);
        String lastSegment = decodedPath.substring(decodedPath.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (lastSegment.equals(GIT_RECEIVE_PACK)) {
            return true;
        }
        if (path.query() == null) {
            return false;
        }
        Map<String, List<String>> parameters = new QueryStringDecoder(path.query(), false).parameters();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getKey().equalsIgnoreCase("service") && parameter.getValue().stream()
                    .anyMatch(value -> value.trim().equalsIgnoreCase(GIT_RECEIVE_PACK))) {
                return true;
            }
        }
        return false;
    }

    /** Returns the names of the query parameters, for logging without their values. */
    static List<String> queryKeys(String query) {
        if (query == null || query.isEmpty()) {
            return List.of();
        }
        return List.copyOf(new QueryStringDecoder(query, false).parameters().keySet());
    }

    private static Rejected reject(HttpResponseStatus status, String message, String route) {
        return new Rejected(status, message, route);
    }
}
