package dev.claudebottle.egress.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;

import dev.claudebottle.egress.http.ClientToProxyHandler;
import dev.claudebottle.egress.http.ConnectionInfo;
import dev.claudebottle.egress.http.Pipelines;
import dev.claudebottle.egress.http.ReadActivity;
import dev.claudebottle.egress.policy.IpLiterals;

/**
 * Builds a client pipeline: connection limit, idle timeout, HTTP codec with head limits, and
 * the {@link ClientToProxyHandler}. A connection over the limit gets only a 503.
 */
final class ProxyInitializer extends ChannelInitializer<SocketChannel> {

    private final ProxyRuntime runtime;
    private final ConnectionLimiter limiter;

    ProxyInitializer(ProxyRuntime runtime) {
        this.runtime = runtime;
        this.limiter = new ConnectionLimiter(runtime);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        InetSocketAddress remote = ch.remoteAddress();
        String client = remote == null ? "?"
                : IpLiterals.canonical(remote.getAddress()) + ":" + remote.getPort();
        ConnectionInfo info = new ConnectionInfo(runtime.nextConnectionId(), client);
        if (!limiter.admit(ch, info)) {
            return;
        }
        long idle = runtime.limits().idleTimeout().toMillis();
        ch.pipeline().addLast(Pipelines.CONNECTION_LIMIT, limiter);
        ch.pipeline().addLast(Pipelines.READ_ACTIVITY, ReadActivity.INSTANCE);
        ch.pipeline().addLast(Pipelines.IDLE, new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
        ch.pipeline().addLast(Pipelines.HTTP_CODEC, ClientToProxyHandler.newServerCodec(runtime));
        ch.pipeline().addLast(Pipelines.PROXY, new ClientToProxyHandler(runtime, info, null));
    }
}
