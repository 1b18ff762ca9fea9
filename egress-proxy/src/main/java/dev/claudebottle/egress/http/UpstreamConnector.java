package dev.claudebottle.egress.http;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;

import dev.claudebottle.egress.internal.ProxyRuntime;
import dev.claudebottle.egress.policy.Target;

/**
 * Opens the upstream leg on the client channel's event loop, so both legs share one thread.
 * AUTO_READ is off: the client side reads the upstream only while the client is writable. Half
 * closure is allowed, so an upstream FIN can end a close-delimited body or one WebSocket
 * direction without ending the other.
 */
final class UpstreamConnector {

    private UpstreamConnector() {
    }

    /**
     * Connects to {@code address} (the address the policy checked) with an idle timeout, TLS
     * verified against {@code target}'s name when {@code tls} is set, and an HTTP client codec
     * ending in {@code last}.
     */
    static ChannelFuture connect(Channel client, ProxyRuntime runtime, InetSocketAddress address,
                                 Target target, boolean tls, ChannelHandler last) {
        Bootstrap bootstrap = new Bootstrap()
                .group(client.eventLoop())
                .channel(runtime.transport().socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) runtime.limits().connectTimeout().toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        long idle = runtime.limits().idleTimeout().toMillis();
                        ch.pipeline().addLast(Pipelines.IDLE,
                                new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
                        if (tls) {
                            ch.pipeline().addLast(Pipelines.TLS, runtime.tls().upstream()
                                    .newHandler(ch.alloc(), target.host(), target.port()));
                        }
                        // Response heads get the same room as request heads: real APIs send
                        // large Set-Cookie and CSP headers, past Netty's 8 KiB default.
                        ch.pipeline().addLast(Pipelines.HTTP_CODEC, new HttpClientCodec(
                                runtime.limits().maxInitialLineLength(), runtime.limits().maxHeaderSize(),
                                64 * 1024));
                        ch.pipeline().addLast(Pipelines.PROXY, last);
                    }
                });
        return bootstrap.connect(address);
    }
}
