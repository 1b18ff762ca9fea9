package dev.claudebottle.credproxy.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal HTTP CONNECT proxy on 127.0.0.1 that opens plain TCP tunnels to names pinned in a
 * map and responds with 403 to any other name. It only relays bytes: no TLS bump, no DLP. Tests
 * that need egress-proxy's policy use the real one.
 */
public final class TestConnectProxy implements AutoCloseable {

    private final Channel server;
    private final List<String> connectTargets = new CopyOnWriteArrayList<>();

    public TestConnectProxy(EventLoopGroup group, Map<String, InetAddress> pinned) {
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast("codec", new HttpServerCodec())
                                .addLast("connect", new ConnectHandler(pinned));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .syncUninterruptibly()
                .channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Returns the {@code host:port} of every CONNECT received. */
    public List<String> connectTargets() {
        return connectTargets;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }

    private final class ConnectHandler extends ChannelInboundHandlerAdapter {
        private final Map<String, InetAddress> pinned;

        ConnectHandler(Map<String, InetAddress> pinned) {
            this.pinned = pinned;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (!(message instanceof HttpRequest request) || !request.method().equals(HttpMethod.CONNECT)) {
                ReferenceCountUtil.release(message);
                return;
            }
            connectTargets.add(request.uri());
            String host = request.uri().substring(0, request.uri().lastIndexOf(':'));
            int port = Integer.parseInt(request.uri().substring(request.uri().lastIndexOf(':') + 1));
            InetAddress address = pinned.get(host);
            if (address == null) {
                answer(ctx, HttpResponseStatus.FORBIDDEN).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            Channel client = ctx.channel();
            client.config().setAutoRead(false);
            new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new Relay(client))
                    .connect(new InetSocketAddress(address, port))
                    .addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            answer(ctx, HttpResponseStatus.BAD_GATEWAY).addListener(ChannelFutureListener.CLOSE);
                            return;
                        }
                        ctx.pipeline().remove("codec");
                        ctx.pipeline().replace(this, "relay", new Relay(connected.channel()));
                        client.writeAndFlush(Unpooled.wrappedBuffer(
                                "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                                .addListener(written -> {
                                    client.read();
                                    connected.channel().read();
                                });
                    });
        }

        private io.netty.channel.ChannelFuture answer(ChannelHandlerContext ctx, HttpResponseStatus status) {
            DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
            response.headers().setInt("content-length", 0);
            return ctx.writeAndFlush(response);
        }
    }

    /** Copies bytes to the peer, reading again only after each write is flushed. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel peer;

        Relay(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            peer.writeAndFlush(message).addListener((ChannelFutureListener) written -> {
                if (written.isSuccess()) {
                    ctx.channel().read();
                } else {
                    ctx.close();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
