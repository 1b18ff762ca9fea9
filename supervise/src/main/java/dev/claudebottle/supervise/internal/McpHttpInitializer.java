package dev.claudebottle.supervise.internal;

import dev.claudebottle.supervise.mcp.McpDispatcher;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Pipeline of one MCP connection: HTTP/1.1 codec, keep-alive, an aggregator capped at the maximum
 * request size (larger bodies get 413), an idle timer, then {@link McpHttpHandler}. Each connection
 * joins {@code connections}, so that closing the server also closes the connections it accepted.
 */
public final class McpHttpInitializer extends ChannelInitializer<SocketChannel> {

    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_BYTES = 8192;
    private static final int MAX_CHUNK_BYTES = 8192;

    private final McpDispatcher dispatcher;
    private final Supplier<HostGuard> hostGuard;
    private final Executor worker;
    private final int maxRequestBytes;
    private final Duration idleTimeout;
    private final ChannelGroup connections;

    public McpHttpInitializer(McpDispatcher dispatcher, Supplier<HostGuard> hostGuard, Executor worker,
            int maxRequestBytes, Duration idleTimeout, ChannelGroup connections) {
        this.dispatcher = dispatcher;
        this.hostGuard = hostGuard;
        this.worker = worker;
        this.maxRequestBytes = maxRequestBytes;
        this.idleTimeout = idleTimeout;
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        connections.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("http-codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK_BYTES));
        pipeline.addLast("keep-alive", new HttpServerKeepAliveHandler());
        pipeline.addLast("aggregator", new HttpObjectAggregator(maxRequestBytes));
        pipeline.addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast("mcp", new McpHttpHandler(dispatcher, hostGuard.get(), worker, idleTimeout));
    }
}
