package dev.claudebottle.egress.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import dev.claudebottle.egress.audit.AuditRecord;
import dev.claudebottle.egress.http.ConnectionInfo;

/**
 * First handler of every client pipeline: counts open connections and sends 503 and closes
 * when the configured maximum is reached, so a flood cannot exhaust file descriptors or memory.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final byte[] BUSY = ("HTTP/1.1 503 Service Unavailable\r\n"
            + "Content-Type: text/plain\r\nConnection: close\r\nContent-Length: 58\r\n\r\n"
            + "egress-proxy: too many open connections; try again later\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final ProxyRuntime runtime;

    ConnectionLimiter(ProxyRuntime runtime) {
        this.runtime = runtime;
    }

    /** Returns false (and refuses the connection) when the limit is reached. */
    boolean admit(Channel channel, ConnectionInfo info) {
        int open = runtime.openConnections().incrementAndGet();
        if (open <= runtime.limits().maxConnections()) {
            return true;
        }
        runtime.openConnections().decrementAndGet();
        runtime.audit().record(new AuditRecord(Instant.now(), info.id(), info.client(), "-", "-", 0,
                null, AuditRecord.Decision.REFUSED, "connection_limit", 503, 0, 0, 0,
                "more than " + runtime.limits().maxConnections() + " connections are open"));
        channel.writeAndFlush(Unpooled.wrappedBuffer(BUSY)).addListener(ChannelFutureListener.CLOSE);
        return false;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        runtime.openConnections().decrementAndGet();
        ctx.fireChannelInactive();
    }
}
