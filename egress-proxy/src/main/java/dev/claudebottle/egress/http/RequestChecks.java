package dev.claudebottle.egress.http;

import java.util.List;
import java.util.Optional;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

import dev.claudebottle.egress.policy.Refusal;
import dev.claudebottle.egress.policy.Target;
import dev.claudebottle.egress.policy.TargetParser;

/** Checks on a request head that need no I/O: framing headers, and the target inside a tunnel. */
final class RequestChecks {

    private RequestChecks() {
    }

    /**
     * Parses the target of a request inside a tunnel. The URI (origin-form, or absolute-form
     * naming the tunnel's host) and the one {@code Host} header must name the tunnel's host and
     * port, so a tunnel cannot be used for domain fronting.
     */
    static TargetParser.Parsed<TargetParser.AbsoluteUri> parseInsideTunnel(HttpRequest request, Tunnel tunnel) {
        Target tunnelTarget = tunnel.admission().target();
        if (HttpMethod.CONNECT.equals(request.method())) {
            return new TargetParser.Parsed.Failed<>(new Refusal("connect_in_tunnel", 405,
                    "CONNECT inside a tunnel is not allowed"));
        }
        String uri = request.uri();
        String originForm;
        if (uri.startsWith("/") || (uri.equals("*") && HttpMethod.OPTIONS.equals(request.method()))) {
            originForm = uri;
        } else {
            String absolute = uri.regionMatches(true, 0, "https://", 0, 8) ? "http://" + uri.substring(8) : uri;
            var parsed = TargetParser.parseAbsolute(absolute);
            if (parsed instanceof TargetParser.Parsed.Failed<TargetParser.AbsoluteUri> f) {
                return f;
            }
            var value = ((TargetParser.Parsed.Ok<TargetParser.AbsoluteUri>) parsed).value();
            if (!value.target().host().equals(tunnelTarget.host())) {
                return hostMismatch(tunnel, "request URI", value.target().host());
            }
            originForm = value.originForm();
        }

        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() != 1) {
            return new TargetParser.Parsed.Failed<>(Refusal.badRequest("host_header",
                    "a request needs exactly one Host header; this one has " + hosts.size()));
        }
        String hostHeader = hosts.get(0);
        if (!hostHeader.equals(tunnel.acceptedHostHeader)) {
            int defaultPort = tunnel.tls() ? 443 : 80;
            var host = TargetParser.parseAuthority(hostHeader, defaultPort, true);
            if (host instanceof TargetParser.Parsed.Failed<Target> f) {
                return new TargetParser.Parsed.Failed<>(f.refusal());
            }
            Target hostTarget = ((TargetParser.Parsed.Ok<Target>) host).value();
            if (!hostTarget.host().equals(tunnelTarget.host()) || hostTarget.port() != tunnelTarget.port()) {
                return hostMismatch(tunnel, "Host header", hostTarget.authority());
            }
            tunnel.acceptedHostHeader = hostHeader;
        }
        return new TargetParser.Parsed.Ok<>(new TargetParser.AbsoluteUri(tunnelTarget, originForm));
    }

    private static TargetParser.Parsed<TargetParser.AbsoluteUri> hostMismatch(Tunnel tunnel, String where,
                                                                              String value) {
        return new TargetParser.Parsed.Failed<>(Refusal.forbidden("host_mismatch", "the " + where
                + " names " + value + " but the tunnel was opened to "
                + tunnel.admission().target().authority()
                + "; every request in a tunnel must go to the tunnel's host (no domain fronting)"));
    }

    static Optional<Refusal> checkFraming(HttpHeaders headers) {
        if (headers.getAll(HttpHeaderNames.HOST).size() > 1) {
            return Optional.of(Refusal.badRequest("host_header", "the request has more than one "
                    + "Host header"));
        }
        List<String> te = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!te.isEmpty() && !(te.size() == 1 && te.get(0).trim().equalsIgnoreCase("chunked"))) {
            return Optional.of(new Refusal("transfer_encoding", 501, "Transfer-Encoding '"
                    + String.join(", ", te) + "' is not supported; only 'chunked' is"));
        }
        return Optional.empty();
    }

    static boolean isWebSocketUpgrade(HttpHeaders headers) {
        return headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && headers.contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }
}
