package dev.claudebottle.credproxy.internal.forward;

import dev.claudebottle.credproxy.internal.log.RequestLogEntry;
import dev.claudebottle.credproxy.route.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays one agent connection: admits each request, streams its body to a pooled upstream
 * connection and streams the response back, one exchange at a time.
 *
 * <p>Both legs run with auto-read off and share this channel's event loop. A leg reads its
 * next message only after the previous one was flushed to the other leg, so at most one
 * read buffer per direction is in memory, whatever the body size.
 */
final class ClientToProxyHandler extends ChannelInboundHandlerAdapter implements UpstreamHandler.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ClientToProxyHandler.class);
    private static final int MAX_LOGGED_PATH = 512;
    /**
     * How long the rest of an interrupted upload is read and dropped after the response. Closing
     * with unread input makes the kernel send a reset, which can destroy the response in flight.
     */
    static final long DRAIN_MILLIS = 2_000;

    /** The connection's position in its current exchange. */
    enum State {
        /** Waiting for a request head. */
        AWAITING_REQUEST,
        /** Admitted; waiting for an upstream connection while body messages queue. */
        CONNECTING,
        /** Sending the request body upstream. */
        STREAMING_REQUEST,
        /** Request sent; relaying the response. */
        AWAITING_RESPONSE,
        /** Sending an error response, then closing. */
        REJECTING,
        /** The response is sent; the rest of an unfinished request is read and dropped before the close. */
        DRAINING,
        CLOSED
    }

    private final ForwardingContext context;
    private final ArrayDeque<HttpObject> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private State state = State.AWAITING_REQUEST;
    private Exchange exchange;

    ClientToProxyHandler(ForwardingContext context) {
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext handlerContext) {
        this.ctx = handlerContext;
    }

    @Override
    public void channelActive(ChannelHandlerContext handlerContext) {
        handlerContext.read();
        handlerContext.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext handlerContext, Object message) {
        if (!(message instanceof HttpObject http)) {
            ReferenceCountUtil.release(message);
            return;
        }
        switch (state) {
            case AWAITING_REQUEST -> {
                if (http instanceof HttpRequest request) {
                    startExchange(request);
                } else {
                    ReferenceCountUtil.release(http);
                    handlerContext.read();
                }
            }
            case CONNECTING, AWAITING_RESPONSE -> pending.add(http);
            case STREAMING_REQUEST -> {
                if (http instanceof HttpContent content) {
                    forwardRequestContent(content);
                } else {
                    pending.add(http);
                }
            }
            case DRAINING -> {
                ReferenceCountUtil.release(http);
                handlerContext.read();
            }
            case REJECTING, CLOSED -> ReferenceCountUtil.release(http);
        }
    }

    private void startExchange(HttpRequest request) {
        Exchange current = new Exchange(request, System.nanoTime(), HttpUtil.isKeepAlive(request));
        exchange = current;
        RequestAdmission.Decision decision;
        try {
            decision = RequestAdmission.decide(request, context.routes(), context.tokens());
        } finally {
            // A request the decoder could not parse arrives as a full message with content.
            if (request instanceof HttpContent) {
                ReferenceCountUtil.release(request);
                current.requestComplete = true;
            }
        }
        if (decision instanceof RequestAdmission.Rejected rejected) {
            current.route = rejected.route();
            state = State.REJECTING;
            respondWithError(current, rejected.status(), rejected.message(), "rejected");
            return;
        }

        RequestAdmission.Admitted admitted = (RequestAdmission.Admitted) decision;
        current.admitted = admitted;
        current.route = admitted.match().route().path();
        current.redactor = new SecretRedactor(admitted.secrets());
        if (HttpUtil.is100ContinueExpected(request)) {
            // The agent waits for this before sending its body. Expect is not forwarded upstream.
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
        state = State.CONNECTING;
        Route route = admitted.match().route();
        context.pool().acquire(ctx.channel().eventLoop(), route)
                .addListener(acquired -> onUpstreamAcquired(current, (Future<?>) acquired));
    }

    /**
     * Returns whether a failed exchange may be sent again on a new connection. That needs a
     * pooled connection that closed or broke (not one that timed out), no response byte yet,
     * and a bodiless GET, HEAD or OPTIONS, which RFC 9110 (section 9.2.2) lets a client repeat.
     */
    private static boolean mayRetry(Exchange current, UpstreamFailure failure) {
        String method = current.request.method().name();
        boolean connectionLost = failure.code().equals("upstream_closed") || failure.code().equals("upstream_failed");
        return connectionLost && !current.retried && !current.responseHeadSent && current.upstream != null
                && UpstreamPool.wasPooled(current.upstream) && current.requestComplete && current.bytesIn == 0
                && (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"));
    }

    private void retryOnNewConnection(Exchange current) {
        LOG.debug("retrying {} for route {} on a new connection: the pooled one closed", current.request.method(),
                current.route);
        current.retried = true;
        current.requestComplete = false;
        current.upstream.pipeline().get(UpstreamHandler.class).detach();
        current.upstream.close();
        current.upstream = null;
        pending.addFirst(LastHttpContent.EMPTY_LAST_CONTENT);
        state = State.CONNECTING;
        context.pool().acquireNew(ctx.channel().eventLoop(), current.admitted.match().route())
                .addListener(acquired -> onUpstreamAcquired(current, (Future<?>) acquired));
    }

    private void onUpstreamAcquired(Exchange current, Future<?> acquired) {
        if (current != exchange || state != State.CONNECTING) {
            if (acquired.isSuccess()) {
                ((Channel) acquired.getNow()).close();
            }
            return;
        }
        if (!acquired.isSuccess()) {
            UpstreamFailure failure = UpstreamFailure.ofConnect(acquired.cause(), current.upstreamName(),
                    context.pool().viaEgress());
            LOG.info("request for route {} not forwarded: {} ({})", current.route, failure.code(),
                    acquired.cause().getClass().getSimpleName());
            state = State.REJECTING;
            respondWithError(current, failure.status(), failure.message(), "upstream_failed");
            return;
        }

        Channel upstream = (Channel) acquired.getNow();
        current.upstream = upstream;
        upstream.pipeline().get(UpstreamHandler.class).attach(this);
        upstream.write(current.admitted.upstreamRequest());
        upstream.read();
        state = State.STREAMING_REQUEST;
        List<HttpObject> queued = new ArrayList<>(pending);
        pending.clear();
        for (HttpObject message : queued) {
            channelRead(ctx, message);
        }
        upstream.flush();
        if (state == State.STREAMING_REQUEST && queued.isEmpty()) {
            ctx.read();
        }
    }

    private void forwardRequestContent(HttpContent content) {
        Exchange current = exchange;
        current.bytesIn += content.content().readableBytes();
        boolean last = content instanceof LastHttpContent;
        HttpContent outbound = content;
        if (last && !((LastHttpContent) content).trailingHeaders().isEmpty()) {
            // Trailer fields could carry credentials past the header filter, so they are dropped.
            outbound = new DefaultLastHttpContent(content.content());
        }
        if (last) {
            current.requestComplete = true;
            state = State.AWAITING_RESPONSE;
        }
        current.upstream.writeAndFlush(outbound).addListener(written -> {
            if (written.isSuccess() && !last && current == exchange && state == State.STREAMING_REQUEST) {
                ctx.read();
            }
        });
    }

    @Override
    public void onUpstreamMessage(HttpObject message) {
        Exchange current = exchange;
        if (current == null || current.upstream == null) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpResponse response && !relayResponseHead(current, response)) {
            return;
        }
        if (message instanceof HttpContent content) {
            relayResponseContent(current, content);
        }
    }

    /** Sends the response head to the agent; returns false when the message was consumed as a failure. */
    private boolean relayResponseHead(Exchange current, HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            ReferenceCountUtil.release(response);
            Channel upstream = current.upstream;
            onUpstreamFailure(new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "the upstream "
                    + current.upstreamName() + " sent a malformed response", "upstream_malformed"), null);
            upstream.close();
            return false;
        }
        int code = response.status().code();
        if (code >= 100 && code < 200) {
            // Interim responses (100 Continue, 103 Early Hints) end with an empty last content.
            current.skippingInterimResponse = true;
            return true;
        }
        boolean keepAlive = current.clientKeepAlive && current.requestComplete;
        current.upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        current.status = code;
        current.responseHeadSent = true;
        current.closeAfterResponse = HeaderRules.prepareResponse(response, current.request, current.redactor,
                keepAlive);
        ctx.writeAndFlush(response).addListener(written -> {
            if (written.isSuccess() && current == exchange) {
                current.upstream.read();
            }
        });
        return true;
    }

    private void relayResponseContent(Exchange current, HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (current.skippingInterimResponse) {
            content.release();
            current.skippingInterimResponse = !last;
            current.upstream.read();
            return;
        }
        if (last) {
            current.upstreamResponseEnded = true;
        }
        ByteBuf body = current.redactor.process(content.content(), ctx.alloc(), last);
        current.bytesOut += body.readableBytes();
        HttpContent outbound = last ? new DefaultLastHttpContent(body) : new DefaultHttpContent(body);
        ctx.writeAndFlush(outbound).addListener(written -> {
            if (!written.isSuccess()) {
                return;
            }
            if (last) {
                finishExchange(current);
            } else if (current == exchange) {
                current.upstream.read();
            }
        });
    }

    private void finishExchange(Exchange current) {
        if (current != exchange) {
            return;
        }
        log(current, "forwarded");
        Channel upstream = current.upstream;
        boolean reusable = current.upstreamKeepAlive && current.requestComplete;
        if (reusable) {
            context.pool().release(upstream, current.admitted.match().route());
        } else {
            upstream.pipeline().get(UpstreamHandler.class).detach();
            upstream.close();
        }
        exchange = null;
        if (!current.requestComplete) {
            drainThenClose();
            return;
        }
        if (!current.clientKeepAlive || current.closeAfterResponse) {
            state = State.CLOSED;
            ctx.close();
            return;
        }
        state = State.AWAITING_REQUEST;
        List<HttpObject> queued = new ArrayList<>(pending);
        pending.clear();
        for (HttpObject message : queued) {
            channelRead(ctx, message);
        }
        if (state == State.AWAITING_REQUEST) {
            ctx.read();
        }
    }

    @Override
    public void onUpstreamFailure(UpstreamFailure failure, Throwable cause) {
        Exchange current = exchange;
        if (current == null || current.upstreamResponseEnded) {
            return;
        }
        if (mayRetry(current, failure)) {
            retryOnNewConnection(current);
            return;
        }
        LOG.info("request for route {} to {} failed: {}", current.route, current.upstreamName(), failure.code());
        if (cause != null) {
            LOG.debug("upstream failure cause for route {}: {}", current.route, cause.getClass().getName());
        }
        if (current.upstream != null) {
            current.upstream.close();
        }
        if (!current.responseHeadSent) {
            state = State.REJECTING;
            respondWithError(current, failure.status(), failure.message(), "upstream_failed");
            return;
        }
        log(current, "upstream_failed");
        state = State.CLOSED;
        exchange = null;
        ctx.close();
    }

    /** Sends a plain-text error that closes the connection, so an unread request body cannot confuse framing. */
    private void respondWithError(Exchange current, HttpResponseStatus status, String message, String outcome) {
        ByteBuf body = Unpooled.copiedBuffer("cred-proxy: " + message + "\n", StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        current.status = status.code();
        current.bytesOut = body.readableBytes();
        log(current, outcome);
        exchange = null;
        if (current.requestComplete) {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(response).addListener(written -> {
            if (written.isSuccess()) {
                drainThenClose();
            } else {
                ctx.close();
            }
        });
    }

    /**
     * Ends a connection whose request body is not fully read: shuts the output side, so the
     * agent's client reads the end of the response, then reads and drops the input for up to
     * {@link #DRAIN_MILLIS} before the close.
     */
    private void drainThenClose() {
        if (!(ctx.channel() instanceof DuplexChannel duplex) || !ctx.channel().isActive()) {
            state = State.CLOSED;
            ctx.close();
            return;
        }
        state = State.DRAINING;
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        duplex.shutdownOutput().addListener(shut -> {
            if (!shut.isSuccess()) {
                ctx.close();
            }
        });
        ctx.executor().schedule(() -> ctx.close(), DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext handlerContext) {
        state = State.CLOSED;
        Exchange current = exchange;
        exchange = null;
        if (current != null) {
            log(current, "client_closed");
            if (current.upstream != null) {
                current.upstream.pipeline().get(UpstreamHandler.class).detach();
                current.upstream.close();
            }
        }
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        handlerContext.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext handlerContext, Object event) {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            if (state == State.AWAITING_REQUEST) {
                handlerContext.close();
            } else if (state == State.STREAMING_REQUEST || state == State.CONNECTING) {
                LOG.info("closing connection: the agent sent no request data for route {} within the idle timeout",
                        exchange == null ? "-" : exchange.route);
                handlerContext.close();
            }
            return;
        }
        handlerContext.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext handlerContext, Throwable cause) {
        LOG.debug("agent connection {} failed: {}", handlerContext.channel().remoteAddress(),
                cause.getClass().getSimpleName());
        handlerContext.close();
    }

    private void log(Exchange current, String outcome) {
        if (current.logged) {
            return;
        }
        current.logged = true;
        String uri = current.request.uri();
        int question = uri.indexOf('?');
        String path = question < 0 ? uri : uri.substring(0, question);
        if (path.length() > MAX_LOGGED_PATH) {
            path = path.substring(0, MAX_LOGGED_PATH) + "...";
        }
        List<String> queryKeys = current.admitted == null || current.admitted.path().query() == null
                ? List.of() : RequestAdmission.queryKeys(current.admitted.path().query());
        context.requestLog().write(new RequestLogEntry(current.route, current.request.method().name(), path,
                queryKeys, current.status, current.bytesIn, current.bytesOut, System.nanoTime() - current.startNanos,
                outcome, current.upstreamName()));
    }
}
