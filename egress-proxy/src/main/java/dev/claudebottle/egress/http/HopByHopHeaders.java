package dev.claudebottle.egress.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Removes hop-by-hop headers (RFC 9110, section 7.6.1): the fixed list, and every header that
 * {@code Connection} names. The proxy sets its own {@code Connection} on each leg.
 */
final class HopByHopHeaders {

    // AsciiString throughout: Netty caches its hash, so the removes below skip rehashing the name.
    private static final List<AsciiString> FIXED = List.of(HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
            HttpHeaderNames.UPGRADE, AsciiString.cached("proxy-connection"));

    private HopByHopHeaders() {
    }

    /**
     * Strips hop-by-hop headers from {@code headers} in place. With {@code keepUpgrade}, an
     * {@code Upgrade} header and {@code Connection: upgrade} survive (WebSocket handshake).
     */
    static void strip(HttpHeaders headers, boolean keepUpgrade) {
        List<String> named = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String name = token.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    named.add(name);
                }
            }
        }
        String upgrade = keepUpgrade ? headers.get(HttpHeaderNames.UPGRADE) : null;
        for (String name : named) {
            if (!isFramingHeader(name)) {
                headers.remove(name);
            }
        }
        for (AsciiString name : FIXED) {
            headers.remove(name);
        }
        if (upgrade != null) {
            headers.set(HttpHeaderNames.UPGRADE, upgrade);
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderNames.UPGRADE);
        }
    }

    /** Framing headers may not be dropped through Connection, or the body boundary would shift. */
    private static boolean isFramingHeader(String name) {
        return name.equals("content-length") || name.equals("transfer-encoding")
                || name.equals("host");
    }
}
