package dev.claudebottle.credproxy.internal.forward;

import dev.claudebottle.credproxy.route.AuthScheme;
import dev.claudebottle.credproxy.route.Route;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Header rewriting for both legs: credential stripping and injection, hop-by-hop removal, framing. */
final class HeaderRules {

    /**
     * Hop-by-hop fields (RFC 9110, section 7.6.1, plus {@code Proxy-Authenticate} and
     * {@code Trailer} from RFC 7230, section 6.1). They describe one connection, so a proxy
     * never forwards them; framing is set again per leg.
     */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "proxy-connection", "keep-alive", "te", "transfer-encoding", "upgrade", "trailer",
            "proxy-authenticate", "proxy-authorization");

    /** Credentials the agent might send; cred-proxy drops them all before injecting its own. */
    private static final Set<String> INBOUND_CREDENTIALS = Set.of(
            "authorization", "proxy-authorization", "x-api-key", "cookie", "cookie2");

    /** Framing and target fields a {@code Connection} header may not remove, since cred-proxy manages them. */
    private static final Set<String> PROTECTED = Set.of("content-length", "host");

    private HeaderRules() {
    }

    /**
     * Builds the upstream request head: origin-form target below the route's upstream, the
     * agent's headers without credentials or hop-by-hop fields, {@code Host} of the upstream,
     * and the route's credential.
     */
    static HttpRequest upstreamRequest(HttpRequest inbound, Route route, String upstreamTarget, String token) {
        HttpRequest outbound = new DefaultHttpRequest(HttpVersion.HTTP_1_1, inbound.method(), upstreamTarget);
        HttpHeaders headers = outbound.headers();
        Set<String> dropped = connectionListed(inbound.headers());
        String injected = route.authScheme().headerName();
        for (Map.Entry<String, String> header : inbound.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || INBOUND_CREDENTIALS.contains(name) || dropped.contains(name)
                    || name.equals(injected) || name.equals("host") || name.equals("expect")) {
                continue;
            }
            headers.add(header.getKey(), header.getValue());
        }

        headers.set(HttpHeaderNames.HOST, route.upstreamAuthority());
        if (HttpUtil.isTransferEncodingChunked(inbound)) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        AuthScheme scheme = route.authScheme();
        headers.set(scheme.headerName(), scheme.headerValue(token));
        return outbound;
    }

    /**
     * Prepares an upstream response head for the agent: drops hop-by-hop fields, cookies (the
     * agent has no session because cred-proxy strips its {@code Cookie} headers) and any
     * field that contains a secret, then sets framing and persistence for the agent's leg.
     *
     * @return whether the agent's connection must close after this response, because an
     *         HTTP/1.0 agent cannot read a chunked body and gets a close-delimited one instead
     */
    static boolean prepareResponse(HttpResponse response, HttpRequest agentRequest, SecretRedactor redactor,
            boolean keepAlive) {
        HttpHeaders headers = response.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        Set<String> dropped = connectionListed(headers);
        List<String> names = new ArrayList<>(headers.names());
        for (String header : names) {
            String name = header.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || dropped.contains(name) || name.equals("set-cookie")
                    || name.equals("set-cookie2")) {
                headers.remove(header);
            }
        }
        headers.entries().stream()
                .filter(entry -> redactor.containsSecret(entry.getValue()))
                .map(Map.Entry::getKey)
                .toList()
                .forEach(headers::remove);

        boolean framed = chunked || HttpUtil.isContentLengthSet(response) || !mayHaveBody(response, agentRequest);
        boolean closeDelimited = false;
        if (chunked || !framed) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            if (agentRequest.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
                closeDelimited = true;
            } else {
                // A close-delimited upstream body becomes chunked so the agent's connection can stay open.
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        HttpUtil.setKeepAlive(response, keepAlive && !closeDelimited);
        return closeDelimited;
    }

    /** Returns whether a response may carry a body (RFC 9112, section 6.3). */
    static boolean mayHaveBody(HttpResponse response, HttpRequest request) {
        int code = response.status().code();
        return !(code < 200 || code == 204 || code == 304 || request.method().name().equals("HEAD"));
    }

    /** Returns the lower-case field names a {@code Connection} header lists, except protected ones. */
    private static Set<String> connectionListed(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
        if (values.isEmpty()) {
            return Set.of();
        }
        java.util.HashSet<String> names = new java.util.HashSet<>();
        for (String value : values) {
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !PROTECTED.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** Returns whether {@code message} carries a body whose framing cred-proxy can forward. */
    static boolean hasSupportedFraming(HttpMessage message) {
        List<String> codings = message.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (codings.isEmpty()) {
            return true;
        }
        return codings.size() == 1 && codings.get(0).trim().equalsIgnoreCase("chunked");
    }
}
