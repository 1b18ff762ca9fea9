package dev.claudebottle.credproxy.internal.forward;

import dev.claudebottle.credproxy.route.Route;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to upstreams, one pool per event loop and upstream {@code host:port}.
 *
 * <p>Hand-written instead of netty's {@code ChannelPool} because a connection is usable only
 * after the CONNECT through egress-proxy and the TLS handshake have finished, and it must stay
 * on the event loop of the agent connection that uses it, so both legs share a thread and
 * need no locks. Each loop's map is touched only from that loop.
 *
 * <p>An upstream may close a pooled connection just as a request goes out on it. The caller
 * retries such a request once on a new connection when it is safe to repeat (see
 * {@link #wasPooled}); pooled connections are also closed after {@code pooledIdleTimeout}
 * (30 s by default), below common server keep-alive limits, to make this rare.
 */
final class UpstreamPool {

    static final String EGRESS_CONNECT = "egress-connect";
    static final String TLS = "tls";
    static final String HTTP_CODEC = "http-codec";
    static final String IDLE = "idle";
    static final String RELAY = "upstream-relay";

    private static final int MAX_INITIAL_LINE = 8 * 1024;
    private static final int MAX_HEADER_SIZE = 64 * 1024;
    private static final int MAX_CHUNK_SIZE = 64 * 1024;
    private static final io.netty.util.AttributeKey<Boolean> REUSED =
            io.netty.util.AttributeKey.valueOf(UpstreamPool.class, "reused");

    private final ChannelFactory<? extends Channel> channelFactory;
    private final SslContext sslContext;
    private final InetSocketAddress egressProxy;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final Duration pooledIdleTimeout;
    private final int maxIdlePerUpstream;
    private final io.netty.buffer.ByteBufAllocator allocator;
    private final Map<EventLoop, Map<String, ArrayDeque<Channel>>> idleByLoop = new ConcurrentHashMap<>();

    UpstreamPool(ChannelFactory<? extends Channel> channelFactory, SslContext sslContext, InetSocketAddress egressProxy,
            Duration connectTimeout, Duration idleTimeout, Duration pooledIdleTimeout, int maxIdlePerUpstream,
            io.netty.buffer.ByteBufAllocator allocator) {
        this.allocator = allocator;
        this.channelFactory = channelFactory;
        this.sslContext = sslContext;
        this.egressProxy = egressProxy;
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
        this.pooledIdleTimeout = pooledIdleTimeout;
        this.maxIdlePerUpstream = maxIdlePerUpstream;
    }

    boolean viaEgress() {
        return egressProxy != null;
    }

    /**
     * Returns a connection to the route's upstream, ready for a request: an idle pooled one, or a
     * new one once CONNECT and TLS are done. Must be called on {@code loop}; the future completes
     * on it. A failed future carries the cause that {@link UpstreamFailure#ofConnect} classifies.
     */
    Future<Channel> acquire(EventLoop loop, Route route) {
        return acquire(loop, route, true);
    }

    /** Returns a new connection to the route's upstream, bypassing idle ones. */
    Future<Channel> acquireNew(EventLoop loop, Route route) {
        return acquire(loop, route, false);
    }

    /** Returns whether {@code channel} already carried an exchange before the current one. */
    static boolean wasPooled(Channel channel) {
        return channel.hasAttr(REUSED) && channel.attr(REUSED).get();
    }

    private Future<Channel> acquire(EventLoop loop, Route route, boolean reuse) {
        Promise<Channel> promise = loop.newPromise();
        if (!reuse) {
            connect(loop, route, promise);
            return promise;
        }
        ArrayDeque<Channel> idle = idle(loop, key(route));
        for (Channel pooled = idle.pollFirst(); pooled != null; pooled = idle.pollFirst()) {
            if (pooled.isActive()) {
                return promise.setSuccess(pooled);
            }
        }
        connect(loop, route, promise);
        return promise;
    }

    /** Returns a connection whose last exchange ended cleanly, or closes it if the pool is full. */
    void release(Channel channel, Route route) {
        channel.pipeline().get(UpstreamHandler.class).detach();
        ArrayDeque<Channel> idle = idle(channel.eventLoop(), key(route));
        if (!channel.isActive() || idle.size() >= maxIdlePerUpstream) {
            channel.close();
            return;
        }
        channel.attr(REUSED).set(Boolean.TRUE);
        idle.addFirst(channel);
        channel.read();
    }

    /** Closes every pooled connection; called once at shutdown. */
    void closeAll() {
        idleByLoop.forEach((loop, byUpstream) -> loop.execute(() -> byUpstream.values().forEach(idle -> {
            // Closing removes a channel from its deque through the close listener, so close a copy.
            List<Channel> channels = new ArrayList<>(idle);
            idle.clear();
            channels.forEach(Channel::close);
        })));
    }

    private ArrayDeque<Channel> idle(EventLoop loop, String key) {
        return idleByLoop.computeIfAbsent(loop, unused -> new HashMap<>()).computeIfAbsent(key, unused -> new ArrayDeque<>());
    }

    private static String key(Route route) {
        return route.upstreamHost() + ":" + route.upstreamPort();
    }

    private void connect(EventLoop loop, Route route, Promise<Channel> promise) {
        String host = route.upstreamHost();
        int port = route.upstreamPort();
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(channelFactory)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOCATOR, allocator)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                // egress-proxy resolves names and checks the addresses, so cred-proxy must not.
                .resolver(egressProxy != null ? NoopAddressResolverGroup.INSTANCE : DefaultAddressResolverGroup.INSTANCE)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        initUpstreamPipeline(channel, host, port);
                    }
                });

        bootstrap.connect(InetSocketAddress.createUnresolved(host, port)).addListener(connected -> {
            if (!connected.isSuccess()) {
                promise.tryFailure(connected.cause());
                return;
            }
            Channel channel = ((io.netty.channel.ChannelFuture) connected).channel();
            ArrayDeque<Channel> idle = idle(loop, key(route));
            channel.closeFuture().addListener(closed -> idle.remove(channel));
            awaitReady(channel, promise);
        });
    }

    /** Completes {@code promise} when the tunnel (if any) and the TLS handshake are done. */
    private void awaitReady(Channel channel, Promise<Channel> promise) {
        HttpProxyHandler tunnel = channel.pipeline().get(HttpProxyHandler.class);
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        Runnable awaitTls = () -> tls.handshakeFuture().addListener(handshake -> {
            if (handshake.isSuccess()) {
                promise.trySuccess(channel);
            } else {
                promise.tryFailure(handshake.cause());
                channel.close();
            }
        });
        if (tunnel == null) {
            awaitTls.run();
            return;
        }
        tunnel.connectFuture().addListener(tunnelled -> {
            if (tunnelled.isSuccess()) {
                awaitTls.run();
            } else {
                promise.tryFailure(tunnelled.cause());
                channel.close();
            }
        });
    }

    private void initUpstreamPipeline(Channel channel, String host, int port) {
        ChannelPipeline pipeline = channel.pipeline();
        if (egressProxy != null) {
            HttpProxyHandler tunnel = new HttpProxyHandler(egressProxy);
            tunnel.setConnectTimeoutMillis(connectTimeout.toMillis());
            pipeline.addLast(EGRESS_CONNECT, tunnel);
        }
        SslHandler tls = sslContext.newHandler(channel.alloc(), host, port);
        tls.setHandshakeTimeoutMillis(connectTimeout.toMillis());
        pipeline.addLast(TLS, tls);
        pipeline.addLast(HTTP_CODEC, new HttpClientCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setMaxChunkSize(MAX_CHUNK_SIZE), false, false));
        pipeline.addLast(IDLE, new IdleStateHandler(idleTimeout.toMillis(), 0, pooledIdleTimeout.toMillis(),
                TimeUnit.MILLISECONDS));
        pipeline.addLast(RELAY, new UpstreamHandler(host + ":" + port, idleTimeout.toSeconds()));
    }
}
