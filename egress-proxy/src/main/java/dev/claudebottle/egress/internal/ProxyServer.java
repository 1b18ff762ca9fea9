package dev.claudebottle.egress.internal;

import java.net.InetSocketAddress;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;

import dev.claudebottle.egress.EgressProxyException;

/** Binds the listener: AUTO_READ off on client channels (handlers read explicitly). */
public final class ProxyServer {

    private static final AttributeKey<ChannelGroup> CHILDREN = AttributeKey.valueOf("egress.children");

    private ProxyServer() {
    }

    /** Binds {@code listen} and returns the server channel, or throws naming the address. */
    public static Channel bind(ProxyRuntime runtime, EventLoopGroup group, InetSocketAddress listen) {
        ChannelGroup children = new DefaultChannelGroup("egress-clients", GlobalEventExecutor.INSTANCE);
        ProxyInitializer initializer = new ProxyInitializer(runtime);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(runtime.transport().serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new io.netty.channel.ChannelInitializer<io.netty.channel.socket.SocketChannel>() {
                    @Override
                    protected void initChannel(io.netty.channel.socket.SocketChannel ch) {
                        children.add(ch);
                        ch.pipeline().addLast(initializer);
                    }
                });
        ChannelFuture future = bootstrap.bind(listen).awaitUninterruptibly();
        if (!future.isSuccess()) {
            throw new EgressProxyException("cannot listen on " + listen + ": "
                    + future.cause().getMessage() + "; choose another listen address or port",
                    future.cause());
        }
        future.channel().attr(CHILDREN).set(children);
        return future.channel();
    }

    /** Closes every client connection accepted by {@code server}. */
    public static void closeChildren(Channel server) {
        ChannelGroup children = server.attr(CHILDREN).get();
        if (children != null) {
            children.close().awaitUninterruptibly();
        }
    }
}
