package dev.claudebottle.credproxy.internal.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Builds the pipeline of an agent connection: HTTP/1.1 codec, idle timer, relay. */
final class CredProxyInitializer extends ChannelInitializer<Channel> {

    static final String HTTP_CODEC = "http-codec";
    static final String IDLE = "idle";
    static final String RELAY = "client-relay";

    private static final int MAX_INITIAL_LINE = 8 * 1024;
    private static final int MAX_HEADER_SIZE = 32 * 1024;
    private static final int MAX_CHUNK_SIZE = 64 * 1024;

    private final ForwardingContext context;
    private final Duration idleTimeout;
    private final ChannelGroup agentConnections;

    CredProxyInitializer(ForwardingContext context, Duration idleTimeout, ChannelGroup agentConnections) {
        this.context = context;
        this.idleTimeout = idleTimeout;
        this.agentConnections = agentConnections;
    }

    @Override
    protected void initChannel(Channel channel) {
        agentConnections.add(channel);
        channel.pipeline()
                .addLast(HTTP_CODEC, new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(MAX_INITIAL_LINE)
                        .setMaxHeaderSize(MAX_HEADER_SIZE)
                        .setMaxChunkSize(MAX_CHUNK_SIZE)))
                .addLast(IDLE, new IdleStateHandler(idleTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                .addLast(RELAY, new ClientToProxyHandler(context));
    }
}
