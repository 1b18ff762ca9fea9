package dev.claudebottle.credproxy.internal.forward;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an upstream connection: passes response messages and failures to the
 * exchange that currently owns the connection, and closes the connection when it sits in the
 * pool and the upstream speaks or idles out.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamHandler.class);

    /** The receiver of one exchange's upstream events; all calls arrive on the channel's event loop. */
    interface Listener {
        void onUpstreamMessage(HttpObject message);

        /** Called once when the connection fails or closes while attached. */
        void onUpstreamFailure(UpstreamFailure failure, Throwable cause);
    }

    private final String upstream;
    private final long idleSeconds;
    private Listener listener;

    UpstreamHandler(String upstream, long idleSeconds) {
        this.upstream = upstream;
        this.idleSeconds = idleSeconds;
    }

    void attach(Listener owner) {
        this.listener = owner;
    }

    void detach() {
        this.listener = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (listener != null && message instanceof HttpObject http) {
            listener.onUpstreamMessage(http);
            return;
        }
        ReferenceCountUtil.release(message);
        LOG.debug("closing pooled connection to {}: the upstream sent data while no request was open", upstream);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failOwner(UpstreamFailure.closed(upstream), null);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof IdleStateEvent idle)) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        if (idle.state() == IdleState.READER_IDLE && listener != null) {
            failOwner(UpstreamFailure.idleTimeout(upstream, idleSeconds), null);
            ctx.close();
        } else if (idle.state() == IdleState.ALL_IDLE && listener == null) {
            LOG.debug("closing idle pooled connection to {}", upstream);
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (listener == null) {
            LOG.debug("connection to {} failed outside a request: {}", upstream, cause.getClass().getSimpleName());
        }
        failOwner(new UpstreamFailure(io.netty.handler.codec.http.HttpResponseStatus.BAD_GATEWAY,
                "the connection to the upstream " + upstream + " failed (" + cause.getClass().getSimpleName() + ")",
                "upstream_failed"), cause);
        ctx.close();
    }

    private void failOwner(UpstreamFailure failure, Throwable cause) {
        Listener owner = listener;
        listener = null;
        if (owner != null) {
            owner.onUpstreamFailure(failure, cause);
        }
    }
}
