package dev.claudebottle.bundle.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.Closeable;
import java.net.InetSocketAddress;

/**
 * A DNS server for the agent's resolver that resolves only the bottle's own names.
 *
 * <p>The agent needs no outside DNS because egress-proxy resolves every outside name itself.
 * Answering NXDOMAIN to the rest, and never forwarding a query, means a lookup cannot carry
 * data off the box (for example a secret encoded in a label of a made-up name).
 */
public final class DnsResponder implements Closeable {

    private final Channel channel;

    private DnsResponder(Channel channel) {
        this.channel = channel;
    }

    /**
     * Binds the responder to a UDP address and serves it on the given event loops.
     *
     * @param listen the UDP address to bind (port 0 picks a free one)
     * @param names the bottle's own names and how to find the address they resolve to
     * @param group the event-loop group shared with the bundle's other services
     */
    public static DnsResponder start(InetSocketAddress listen, DnsNames names, EventLoopGroup group)
            throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(new DnsResponderInitializer(names));
        Channel channel = bootstrap.bind(listen).sync().channel();
        return new DnsResponder(channel);
    }

    /** Returns the bound UDP address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Returns a future that completes when the socket closes, for the bundle's supervisor. */
    public io.netty.channel.ChannelFuture closeFuture() {
        return channel.closeFuture();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
