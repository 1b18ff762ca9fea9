package dev.claudebottle.credproxy.internal.forward;

import dev.claudebottle.credproxy.CredProxyConfig;
import dev.claudebottle.credproxy.CredProxyException;
import dev.claudebottle.credproxy.TokenSource;
import dev.claudebottle.credproxy.internal.log.RequestLog;
import dev.claudebottle.credproxy.route.RouteTable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bootstrap and lifecycle of the cred-proxy listener; see {@code CredProxy} for the API. */
public final class CredProxyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CredProxyServer.class);

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Channel serverChannel;
    private final ForwardingContext context;
    private final ChannelGroup agentConnections;

    private CredProxyServer(EventLoopGroup group, boolean ownsGroup, Channel serverChannel, ForwardingContext context,
            ChannelGroup agentConnections) {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.serverChannel = serverChannel;
        this.context = context;
        this.agentConnections = agentConnections;
    }

    /**
     * Binds the listener and returns the running server.
     *
     * @param shared an NIO or epoll event-loop group to run on, or null to create one that
     *               {@link #close()} shuts down
     */
    public static CredProxyServer start(CredProxyConfig config, TokenSource tokens, EventLoopGroup shared) {
        EventLoopGroup group = shared != null ? shared
                : new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
        try {
            Transport transport = Transport.of(group);
            UpstreamPool pool = new UpstreamPool(transport.client(), sslContext(config), config.egressProxy(),
                    config.connectTimeout(), config.idleTimeout(), config.pooledIdleTimeout(),
                    config.maxIdleConnectionsPerUpstream(), config.allocator());
            ForwardingContext context = new ForwardingContext(config.routes(), tokens, pool,
                    new RequestLog(config.requestLog()));
            ChannelGroup agentConnections = new DefaultChannelGroup("cred-proxy agent connections",
                    GlobalEventExecutor.INSTANCE);
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channelFactory(transport.server())
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.ALLOCATOR, config.allocator())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                    .childHandler(new CredProxyInitializer(context, config.idleTimeout(), agentConnections))
                    .bind(config.listen())
                    .syncUninterruptibly()
                    .channel();
            LOG.info("cred-proxy listening on {} with routes {} (egress-proxy {})", server.localAddress(),
                    config.routes().paths(), config.egressProxy() == null ? "not used" : config.egressProxy());
            return new CredProxyServer(group, shared == null, server, context, agentConnections);
        } catch (RuntimeException e) {
            if (shared == null) {
                group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
            if (e instanceof CredProxyException) {
                throw e;
            }
            throw new CredProxyException("cred-proxy could not listen on " + config.listen() + ": " + e.getMessage()
                    + "; choose a free port or stop the process that holds it", e);
        }
    }

    private static SslContext sslContext(CredProxyConfig config) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .endpointIdentificationAlgorithm("HTTPS")
                    .protocols("TLSv1.3", "TLSv1.2");
            if (!config.trustedCertificates().isEmpty()) {
                builder.trustManager(config.trustedCertificates().toArray(X509Certificate[]::new));
            }
            return builder.build();
        } catch (SSLException e) {
            throw new CredProxyException("building the TLS client context for upstream connections failed: "
                    + e.getMessage(), e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public void reload(RouteTable routes) {
        context.replaceRoutes(routes);
        LOG.info("cred-proxy routes replaced: {}", routes.paths());
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        // Closing an agent connection also closes the upstream connection it is using.
        agentConnections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        context.pool().closeAll();
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        LOG.info("cred-proxy on {} stopped", serverChannel.localAddress());
    }

    /** The channel types matching the event-loop group's I/O handler. */
    private record Transport(ChannelFactory<? extends ServerChannel> server, ChannelFactory<? extends Channel> client) {

        static Transport of(EventLoopGroup group) {
            if (group instanceof IoEventLoopGroup io && io.isIoType(NioIoHandler.class)) {
                return new Transport(NioServerSocketChannel::new, NioSocketChannel::new);
            }
            if (group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class)) {
                return new Transport(EpollServerSocketChannel::new, EpollSocketChannel::new);
            }
            throw new CredProxyException("cred-proxy needs an NIO or epoll event-loop group, got "
                    + group.getClass().getName());
        }
    }
}
