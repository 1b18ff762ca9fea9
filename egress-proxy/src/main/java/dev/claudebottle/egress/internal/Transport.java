package dev.claudebottle.egress.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The socket transport: native epoll where it loads (Linux), NIO elsewhere. A group handed in by
 * the caller decides: an epoll group gets epoll channels, any other group NIO channels.
 */
public record Transport(Class<? extends ServerChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel, String name) {

    private static final Transport EPOLL =
            new Transport(EpollServerSocketChannel.class, EpollSocketChannel.class, "epoll");
    private static final Transport NIO =
            new Transport(NioServerSocketChannel.class, NioSocketChannel.class, "nio");

    /** Creates an event-loop group with {@code threads} threads (0: one per core). */
    public static EventLoopGroup newGroup(int threads) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        DefaultThreadFactory factory = new DefaultThreadFactory("egress-loop", true);
        return Epoll.isAvailable()
                ? new MultiThreadIoEventLoopGroup(n, factory, EpollIoHandler.newFactory())
                : new MultiThreadIoEventLoopGroup(n, factory, NioIoHandler.newFactory());
    }

    /** Returns the channel types that fit {@code group}. */
    public static Transport forGroup(EventLoopGroup group) {
        if (Epoll.isAvailable() && group instanceof IoEventLoopGroup io
                && io.isIoType(EpollIoHandler.class)) {
            return EPOLL;
        }
        return NIO;
    }
}
