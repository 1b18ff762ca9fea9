package dev.claudebottle.egress.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of an upstream pipeline: hands the upstream's response (or, after a WebSocket
 * upgrade, its raw bytes) to the client side. It runs on the client channel's event loop, so the
 * two legs share a thread and need no locks.
 */
final class UpstreamToProxyHandler extends ChannelInboundHandlerAdapter {

    private final ClientToProxyHandler client;

    UpstreamToProxyHandler(ClientToProxyHandler client) {
        this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!client.isCurrentUpstream(ctx.channel())) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse || msg instanceof HttpContent) {
            client.upstreamToProxyHttp(msg);
        } else {
            client.upstreamToProxyRaw(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        client.readUpstreamIfWritable(ctx.channel());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        client.upstreamWritabilityChanged(ctx.channel());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        client.upstreamClosed(ctx.channel());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            client.upstreamInputClosed(ctx.channel());
        } else if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ReferenceCountUtil.release(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        client.upstreamFailed(ctx.channel(), cause);
        ctx.close();
    }
}
