package dev.claudebottle.supervise;

import dev.claudebottle.supervise.audit.AuditLog;
import dev.claudebottle.supervise.internal.HostGuard;
import dev.claudebottle.supervise.internal.McpHttpInitializer;
import dev.claudebottle.supervise.mcp.McpDispatcher;
import dev.claudebottle.supervise.mcp.McpSessions;
import dev.claudebottle.supervise.queue.DecisionWatcher;
import dev.claudebottle.supervise.queue.RequestQueue;
import dev.claudebottle.supervise.tools.SuperviseTools;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running supervise server: the MCP endpoint of one bottle.
 *
 * <pre>{@code
 * try (Supervise supervise = Supervise.start(config, sharedGroup)) {
 *     InetSocketAddress address = supervise.address();
 *     ...
 * }
 * }</pre>
 */
public final class Supervise implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Supervise.class);
    private static final String VERSION = "0.1.0";
    private static final int WORKER_THREADS = 2;

    private final SuperviseConfig config;
    private final Channel serverChannel;
    private final ChannelGroup connections;
    private final EventLoopGroup ownGroup;
    private final ScheduledExecutorService worker;
    private final RequestQueue queue;

    private Supervise(SuperviseConfig config, Channel serverChannel, ChannelGroup connections,
            EventLoopGroup ownGroup, ScheduledExecutorService worker, RequestQueue queue) {
        this.config = config;
        this.serverChannel = serverChannel;
        this.connections = connections;
        this.ownGroup = ownGroup;
        this.worker = worker;
        this.queue = queue;
    }

    /** Starts supervise on its own single-threaded event loop group, which {@link #close()} shuts down. */
    public static Supervise start(SuperviseConfig config) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            return start(config, group, group);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** Starts supervise on a group shared with the bundle's other services; {@link #close()} leaves it running. */
    public static Supervise start(SuperviseConfig config, EventLoopGroup group) {
        return start(config, group, null);
    }

    private static Supervise start(SuperviseConfig config, EventLoopGroup group, EventLoopGroup ownGroup) {
        ScheduledExecutorService worker = newWorker(config.bottle());
        try {
            AuditLog audit = new AuditLog(config.auditLog());
            audit.createDirectories();
            RequestQueue queue = new RequestQueue(config.queueDirectory(), audit,
                    SuperviseTools.validator(config.secretCheck()), config.clock(), config.maxPendingRequests());
            DecisionWatcher watcher = new DecisionWatcher(queue, worker, config.pollInterval());
            SuperviseTools tools = new SuperviseTools(new SuperviseTools.Context(config.bottle(), queue, watcher,
                    config.decisionWait(), config.egress(), config.secretCheck(), audit, config.clock()));
            McpDispatcher dispatcher = new McpDispatcher(tools, new McpSessions(config.maxSessions()),
                    config.bottle(), VERSION);

            ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
            Channel channel = bind(config, group, dispatcher, worker, connections);
            InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
            log.info("supervise for bottle {} listening on {}, queue {}", config.bottle(), bound,
                    config.queueDirectory());
            return new Supervise(config, channel, connections, ownGroup, worker, queue);
        } catch (RuntimeException e) {
            worker.shutdownNow();
            throw e;
        }
    }

    private static Channel bind(SuperviseConfig config, EventLoopGroup group, McpDispatcher dispatcher,
            ScheduledExecutorService worker, ChannelGroup connections) {
        int requestedPort = config.bindAddress().getPort();
        // The Host guard needs the real port, so a port-0 bind defers the guard to a holder set after bind.
        HostGuardHolder guard = new HostGuardHolder(config, requestedPort);
        Duration idle = config.decisionWait().plusSeconds(60);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(guard.initializer(dispatcher, worker, config.maxRequestBytes(), idle, connections));
        // Await without sync(): sync() rethrows the checked BindException undeclared.
        ChannelFuture bound = bootstrap.bind(config.bindAddress()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new SuperviseException("cannot listen on " + address(config.bindAddress()) + " for bottle "
                    + config.bottle() + ": " + bound.cause().getMessage()
                    + "; is another process using the port?", bound.cause());
        }
        Channel channel = bound.channel();
        guard.setPort(((InetSocketAddress) channel.localAddress()).getPort());
        return channel;
    }

    private static String address(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private static ScheduledExecutorService newWorker(String bottle) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "supervise-" + bottle + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(WORKER_THREADS, factory);
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Returns the address the server listens on, with the real port when the config requested port 0. */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Returns a stage that completes when the listening socket closes, after {@link #close()} or
     * after an unexpected failure, so that a supervisor can restart the service.
     */
    public CompletionStage<Void> closeFuture() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        serverChannel.closeFuture().addListener(future -> closed.complete(null));
        return closed;
    }

    /** Returns this bottle's request queue, for the bundle's own use and for tests. */
    public RequestQueue queue() {
        return queue;
    }

    /**
     * Stops listening, closes open connections, ends waiting tool calls and shuts down the worker
     * threads, and the event loop group when supervise created it. Requests already queued stay on
     * disk, so an agent that reconnects gets their decisions through check-request.
     */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        worker.shutdownNow();
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        log.info("supervise for bottle {} stopped", config.bottle());
    }

    /** Creates the initializer before the port is known and supplies the {@link HostGuard} after bind. */
    private static final class HostGuardHolder {
        private final SuperviseConfig config;
        private volatile HostGuard guard;

        HostGuardHolder(SuperviseConfig config, int port) {
            this.config = config;
            this.guard = new HostGuard(config.hostNames(), port);
        }

        void setPort(int port) {
            guard = new HostGuard(config.hostNames(), port);
        }

        McpHttpInitializer initializer(McpDispatcher dispatcher, ScheduledExecutorService worker,
                int maxRequestBytes, Duration idle, ChannelGroup connections) {
            return new McpHttpInitializer(dispatcher, () -> guard, worker, maxRequestBytes, idle, connections);
        }
    }
}
