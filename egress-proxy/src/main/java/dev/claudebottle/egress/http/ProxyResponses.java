package dev.claudebottle.egress.http;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import dev.claudebottle.egress.config.RefusalHints;
import dev.claudebottle.egress.policy.Refusal;

/**
 * Responses the proxy writes itself. A refusal body states what was refused, which rule fired
 * (with any secret redacted) and what the client can do next.
 */
public final class ProxyResponses {

    /** Value of the {@code Via} header the proxy adds; seeing it again on a request means a loop. */
    public static final String VIA = "1.1 claude-bottle-egress";

    private ProxyResponses() {
    }

    /**
     * Builds the response for {@code refusal}, always with {@code Connection: close}; its last
     * line is the matching hint from {@code hints}, when one applies.
     */
    public static FullHttpResponse refusal(ByteBufAllocator alloc, Refusal refusal, String what, RefusalHints hints) {
        StringBuilder body = new StringBuilder(256)
                .append("egress-proxy refused ").append(what).append('\n')
                .append("rule: ").append(refusal.rule()).append('\n')
                .append("reason: ").append(refusal.reason()).append('\n');
        String hint = hints.forRule(refusal.rule());
        if (!hint.isEmpty()) {
            body.append(hint).append('\n');
        }
        return text(alloc, HttpResponseStatus.valueOf(refusal.status()), body.toString());
    }

    /** Builds a plain-text response with {@code Connection: close}. */
    public static FullHttpResponse text(ByteBufAllocator alloc, HttpResponseStatus status, String text) {
        ByteBuf content = alloc.buffer(text.length() + 16);
        content.writeCharSequence(text, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.VIA, VIA);
        return response;
    }
}
