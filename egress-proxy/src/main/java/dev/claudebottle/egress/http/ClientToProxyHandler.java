package dev.claudebottle.egress.http;

import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.claudebottle.dlp.Finding;
import dev.claudebottle.egress.audit.AuditRecord;
import dev.claudebottle.egress.audit.AuditRecord.Decision;
import dev.claudebottle.egress.config.DlpSettings;
import dev.claudebottle.egress.internal.ProxyRuntime;
import dev.claudebottle.egress.policy.Admission;
import dev.claudebottle.egress.policy.Refusal;
import dev.claudebottle.egress.policy.Target;
import dev.claudebottle.egress.policy.TargetParser;
import dev.claudebottle.egress.tunnel.BumpSniHandler;
import dev.claudebottle.egress.tunnel.TunnelSniffer;

/**
 * The client side of one connection. It admits each request through the policy (request target,
 * allowlist, SSRF guard, Host and SNI checks, DLP on URL, headers and body). It forwards the
 * request to an upstream connection made on the same event loop and relays the response back
 * unbuffered.
 *
 * <p>One instance serves the connection until a CONNECT is admitted; then the pipeline is
 * rebuilt (sniffer, TLS bump, new HTTP codec) and a new instance with the {@link Tunnel} serves
 * the requests inside it. Reads are explicit (AUTO_READ is off): the client is read only while a
 * request head or body is expected and the upstream is writable, and the upstream only while the
 * client is writable.
 */
public final class ClientToProxyHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ClientToProxyHandler.class);
    private static final byte[] CONNECT_ESTABLISHED =
            "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int MAX_PENDING_MESSAGES = 256;
    private static final long DRAIN_MILLIS = 2000;

    /** Position of the connection in its request cycle. */
    private enum State {
        /** Waiting for a request head; the client is read. */
        AWAITING_REQUEST,
        /** Policy checks or the upstream connect are in flight; the client is not read. */
        ADMITTING,
        /** The request head went upstream; body chunks are read, scanned and forwarded. */
        FORWARDING_BODY,
        /** The request is complete; waiting for the end of the response. */
        AWAITING_RESPONSE,
        /** A CONNECT is being admitted or the pipeline is being rebuilt for the tunnel. */
        TUNNEL_SETUP,
        /** A WebSocket upgrade went through; frames are relayed. */
        WEBSOCKET,
        /**
         * A final response went out and the output side is shut. What the client still sends is
         * read and dropped for a moment, so the client gets the response instead of a reset.
         */
        DRAINING,
        /** The connection is gone or being closed; nothing more is processed. */
        CLOSED
    }

    private final ProxyRuntime runtime;
    private final ConnectionInfo connection;
    private final Tunnel tunnel;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();

    private ChannelHandlerContext ctx;
    private State state = State.AWAITING_REQUEST;
    private Exchange exchange;
    private Channel upstream;
    private String upstreamKey;
    private ScheduledFuture<?> headerTimer;
    private WebSocketScanner webSocket;
    private long exchangesServed;
    private boolean clientInputDone;
    private boolean upstreamInputDone;

    public ClientToProxyHandler(ProxyRuntime runtime, ConnectionInfo connection, Tunnel tunnel) {
        this.runtime = runtime;
        this.connection = connection;
        this.tunnel = tunnel;
    }

    // lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            startHeaderTimer();
            ctx.read();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startHeaderTimer();
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (exchange != null && !exchange.audited) {
            auditExchange(Decision.FAILED, "client_closed", 0,
                    "the client closed the connection before the exchange ended");
        }
        if (tunnel != null) {
            auditTunnel();
        }
        state = State.CLOSED;
        cleanUp();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelHeaderTimer();
        releasePending();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            clientInputClosed();
        } else if (evt instanceof IdleStateEvent) {
            if (exchange != null && !exchange.audited) {
                auditExchange(Decision.FAILED, "idle_timeout", 0, "no traffic for "
                        + runtime.limits().idleTimeout().toSeconds() + " s");
            }
            closeBoth();
        } else if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                ctx.read();
            } else {
                log.info("conn={} {} TLS handshake with the client failed for {}: {}", connection.id(),
                        connection.client(), tunnel.admission().target().authority(),
                        handshake.cause().getMessage());
                closeBoth();
            }
        }
        ReferenceCountUtil.release(evt);
    }

    /**
     * Handles the client's FIN (half closure is allowed). A request already received still gets
     * its response, after which the connection ends. In a WebSocket the FIN goes on to the
     * upstream and the other direction keeps flowing. Anywhere else the connection closes.
     */
    private void clientInputClosed() {
        switch (state) {
            case ADMITTING, FORWARDING_BODY, AWAITING_RESPONSE -> exchange.clientKeepAlive = false;
            case DRAINING -> {
                // The final response is on its way; its write listener and drain timer close.
            }
            case WEBSOCKET -> {
                clientInputDone = true;
                if (upstreamInputDone || !(upstream instanceof DuplexChannel duplex)) {
                    closeBoth();
                } else {
                    upstream.flush();
                    duplex.shutdownOutput();
                }
            }
            default -> closeBoth();
        }
    }

    /** Handles the upstream's FIN in a WebSocket: the client gets it, the other direction goes on. */
    void upstreamInputClosed(Channel channel) {
        if (channel != upstream) {
            return;
        }
        if (state != State.WEBSOCKET) {
            // HTTP: the codec has already ended a close-delimited body, and nothing more can
            // come, so the connection must not be kept for another request.
            channel.close();
            return;
        }
        upstreamInputDone = true;
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (clientInputDone) {
            completeWebSocket();
        } else if (ssl != null) {
            ssl.closeOutbound();
        } else if (ctx.channel() instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        } else {
            completeWebSocket();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
            log.info("conn={} {} TLS error on the client leg: {}", connection.id(), connection.client(),
                    cause.getMessage());
        } else if (!(cause instanceof java.io.IOException)) {
            log.warn("conn={} {} unexpected error on the client leg", connection.id(),
                    connection.client(), cause);
        }
        closeBoth();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && upstream != null) {
            upstream.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readClientIfNeeded();
    }

    // client to proxy

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (state) {
            case AWAITING_REQUEST -> {
                if (msg instanceof HttpRequest request) {
                    clientToProxyRequestHead(request);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            case FORWARDING_BODY -> {
                if (msg instanceof HttpContent content) {
                    clientToProxyBody(content);
                } else {
                    queuePending(msg);
                }
            }
            case WEBSOCKET -> {
                if (msg instanceof WebSocketFrame frame) {
                    webSocket.clientToProxyFrame(frame);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            }
            case ADMITTING, AWAITING_RESPONSE -> queuePending(msg);
            case TUNNEL_SETUP, DRAINING, CLOSED -> ReferenceCountUtil.release(msg);
            default -> throw new AssertionError(state);
        }
    }

    private void clientToProxyRequestHead(HttpRequest request) {
        exchange = new Exchange(request.method().name(), request.uri(), System.nanoTime());

        if (request.decoderResult().isFailure()) {
            rejectMalformed(request.decoderResult().cause());
            return;
        }
        if (passedThroughThisProxy(request.headers())) {
            refuse(Refusal.forbidden("loop", "the request already passed through this proxy "
                    + "(Via header), which means a forwarding loop"));
            return;
        }
        Optional<Refusal> framing = RequestChecks.checkFraming(request.headers());
        if (framing.isPresent()) {
            refuse(framing.get());
            return;
        }
        if (tunnel == null && HttpMethod.CONNECT.equals(request.method())) {
            clientToProxyConnect(request);
            return;
        }

        TargetParser.Parsed<TargetParser.AbsoluteUri> parsed = tunnel == null
                ? TargetParser.parseAbsolute(request.uri())
                : RequestChecks.parseInsideTunnel(request, tunnel);
        if (parsed instanceof TargetParser.Parsed.Failed<TargetParser.AbsoluteUri> failed) {
            refuse(failed.refusal());
            return;
        }
        TargetParser.AbsoluteUri uri = ((TargetParser.Parsed.Ok<TargetParser.AbsoluteUri>) parsed).value();
        exchange.target = uri.target();
        exchange.originForm = uri.originForm();
        exchange.request = request;
        exchange.clientVersion = request.protocolVersion();
        exchange.clientKeepAlive = HttpUtil.isKeepAlive(request);
        exchange.webSocket = RequestChecks.isWebSocketUpgrade(request.headers());

        Inspector inspector = runtime.snapshot().inspector();
        // The host is scanned too: a wildcard entry would otherwise let a secret out as a label.
        Optional<Finding> finding = inspector.scanHead(uri.target().host(),
                uri.target().host() + " " + uri.originForm(), request.headers());
        if (finding.isPresent() && !warnOnly(finding.get())) {
            redactForFinding();
            refuse(Refusal.forbidden("dlp:" + finding.get().ruleId(), "the request URL or headers "
                    + "contain a secret: " + Inspector.describe(finding.get())));
            return;
        }
        try {
            exchange.body = new BodyGate(inspector, uri.target().host(),
                    request.headers().get(HttpHeaderNames.CONTENT_ENCODING));
        } catch (IllegalArgumentException e) {
            refuse(new Refusal("unsupported_encoding", 415, e.getMessage()));
            return;
        }

        state = State.ADMITTING;
        if (tunnel != null) {
            proxyToUpstreamConnect(tunnel.admission());
        } else {
            Exchange current = exchange;
            runtime.snapshot().policy().admit(uri.target()).whenComplete((admission, error) ->
                    ctx.executor().execute(() -> {
                        if (exchange == current && state == State.ADMITTING) {
                            admitted(admission);
                        }
                    }));
        }
    }

    /** Returns whether a {@code Via} header names this proxy, which means a forwarding loop. */
    private static boolean passedThroughThisProxy(HttpHeaders headers) {
        // A loop rather than a stream: this runs for every request.
        for (String via : headers.getAll(HttpHeaderNames.VIA)) {
            if (via.contains(ProxyResponses.VIA)) {
                return true;
            }
        }
        return false;
    }

    /** Marks what a refusal must not echo: the path always, the host when it contains the secret. */
    private void redactForFinding() {
        exchange.pathRedacted = true;
        Target target = exchange.target;
        exchange.hostRedacted = target != null && runtime.snapshot().inspector()
                .scanHead(target.host(), target.host(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE)
                .isPresent();
    }

    private boolean warnOnly(Finding finding) {
        if (runtime.snapshot().inspector().settings().action() != DlpSettings.Action.WARN) {
            return false;
        }
        exchange.warnedRule = "dlp:" + finding.ruleId();
        return true;
    }

    private void rejectMalformed(Throwable cause) {
        Refusal refusal;
        if (cause instanceof TooLongHttpHeaderException) {
            refusal = new Refusal("header_too_large", 431, "the request headers are larger than "
                    + runtime.limits().maxHeaderSize() + " bytes");
        } else if (cause instanceof TooLongHttpLineException) {
            refusal = new Refusal("request_line_too_long", 414, "the request line is longer than "
                    + runtime.limits().maxInitialLineLength() + " bytes");
        } else if (cause instanceof TooLongFrameException) {
            refusal = new Refusal("too_long", 400, "part of the request is too long");
        } else {
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            refusal = Refusal.badRequest("malformed_request", "the request is malformed: "
                    + (message.length() > 160 ? message.substring(0, 160) : message));
        }
        refuse(refusal);
    }

    // CONNECT

    private void clientToProxyConnect(HttpRequest request) {
        var parsed = TargetParser.parseConnect(request.uri());
        if (parsed instanceof TargetParser.Parsed.Failed<Target> failed) {
            refuse(failed.refusal());
            return;
        }
        Target target = ((TargetParser.Parsed.Ok<Target>) parsed).value();
        exchange.target = target;
        Optional<Finding> finding = runtime.snapshot().inspector().scanHead(target.host(), target.host(),
                request.headers());
        if (finding.isPresent() && !warnOnly(finding.get())) {
            redactForFinding();
            refuse(Refusal.forbidden("dlp:" + finding.get().ruleId(), "the CONNECT host or headers "
                    + "contain a secret: " + Inspector.describe(finding.get())));
            return;
        }
        state = State.TUNNEL_SETUP;

        // Stop HTTP decoding now, because the bytes after the CONNECT head belong to the tunnel.
        // The sniffer keeps them until the policy decision. The encoder stays for a refusal.
        TunnelSniffer sniffer = new TunnelSniffer(this::installTunnel, this::refuseTunnelBytes);
        ctx.pipeline().addBefore(ctx.name(), Pipelines.SNIFF, sniffer);
        HttpServerCodec codec = ctx.pipeline().get(HttpServerCodec.class);
        codec.removeInboundHandler();

        Exchange current = exchange;
        runtime.snapshot().policy().admit(target).whenComplete((admission, error) ->
                ctx.executor().execute(() -> {
                    if (exchange == current && state == State.TUNNEL_SETUP) {
                        connectAdmitted(admission, sniffer);
                    }
                }));
    }

    private void connectAdmitted(Admission admission, TunnelSniffer sniffer) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (!admission.isAllowed()) {
            refuse(admission.refusal());
            return;
        }
        exchange.admission = admission;
        ctx.pipeline().remove(HttpServerCodec.class);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(CONNECT_ESTABLISHED));
        sniffer.start();
    }

    /** Rebuilds the pipeline for the tunnel once the sniffer has seen the client's first byte. */
    private void installTunnel(ChannelHandlerContext snifferCtx, boolean tls) {
        Tunnel inner = new Tunnel(exchange.admission, tls, exchange.startNanos);
        ClientToProxyHandler tunnelHandler = new ClientToProxyHandler(runtime, connection, inner);
        String host = exchange.admission.target().host();
        var pipeline = ctx.pipeline();
        if (tls) {
            pipeline.addBefore(ctx.name(), Pipelines.SNI, new BumpSniHandler(host, runtime.leaves(),
                    refusal -> tunnelHandler.refuseHandshake(refusal)));
        }
        pipeline.addBefore(ctx.name(), Pipelines.HTTP_CODEC, newServerCodec(runtime));
        exchange = null;
        state = State.CLOSED;
        pipeline.replace(this, Pipelines.PROXY, tunnelHandler);
    }

    private void refuseTunnelBytes() {
        refuse(Refusal.badRequest("tunnel_protocol", "the bytes after CONNECT are neither a TLS "
                + "ClientHello nor an HTTP request"));
    }

    /** Records an SNI refusal; the SNI handler closes the connection. */
    void refuseHandshake(Refusal refusal) {
        exchange = new Exchange("CONNECT", tunnel.admission().target().authority(), tunnel.startNanos());
        exchange.target = tunnel.admission().target();
        auditExchange(Decision.REFUSED, refusal.rule(), 0, refusal.reason());
        exchange = null;
        state = State.CLOSED;
    }

    /** Builds the HTTP codec for a client pipeline, with the configured head limits. */
    public static HttpServerCodec newServerCodec(ProxyRuntime runtime) {
        var config = new io.netty.handler.codec.http.HttpDecoderConfig()
                .setMaxInitialLineLength(runtime.limits().maxInitialLineLength())
                .setMaxHeaderSize(runtime.limits().maxHeaderSize())
                .setMaxChunkSize(64 * 1024)
                .setAllowDuplicateContentLengths(false);
        return new HttpServerCodec(config);
    }

    // admission and upstream connect

    private void admitted(Admission admission) {
        if (!admission.isAllowed()) {
            refuse(admission.refusal());
            return;
        }
        proxyToUpstreamConnect(admission);
    }

    private void proxyToUpstreamConnect(Admission admission) {
        exchange.admission = admission;
        Target target = admission.target();
        boolean tls = tunnel != null && tunnel.tls();
        String key = target.authority() + (tls ? "/tls" : "/plain");
        if (upstream != null && upstream.isActive() && key.equals(upstreamKey)) {
            proxyToUpstreamHead();
            return;
        }
        closeUpstream();

        InetSocketAddress address = new InetSocketAddress(admission.connectAddress(), target.port());
        ChannelFuture connect = UpstreamConnector.connect(ctx.channel(), runtime, address, target, tls,
                new UpstreamToProxyHandler(this));
        upstream = connect.channel();
        upstreamKey = key;
        Exchange current = exchange;
        connect.addListener((ChannelFutureListener) f -> {
            if (exchange != current || upstream != f.channel()) {
                f.channel().close();
                return;
            }
            if (!f.isSuccess()) {
                failUpstream("upstream_unreachable", "cannot connect to " + target.authority()
                        + " (" + address.getAddress().getHostAddress() + "): " + describe(f.cause()));
                return;
            }
            SslHandler ssl = f.channel().pipeline().get(SslHandler.class);
            if (ssl == null) {
                proxyToUpstreamHead();
                return;
            }
            f.channel().read();
            ssl.handshakeFuture().addListener(h -> {
                if (exchange != current || upstream != f.channel()) {
                    return;
                }
                if (h.isSuccess()) {
                    proxyToUpstreamHead();
                } else {
                    failUpstream("upstream_tls", "TLS with " + target.authority() + " failed: "
                            + describe(h.cause()));
                }
            });
        });
    }

    private void proxyToUpstreamHead() {
        // The decoded request is rewritten in place rather than copied: the decoder makes a new
        // message for each request, and nothing reads it after this point.
        HttpRequest out = exchange.request;
        exchange.request = null;
        out.setProtocolVersion(HttpVersion.HTTP_1_1);
        out.setUri(exchange.originForm);
        HopByHopHeaders.strip(out.headers(), exchange.webSocket);
        out.headers().set(HttpHeaderNames.HOST, hostHeader(exchange.target));
        out.headers().add(HttpHeaderNames.VIA, ProxyResponses.VIA);

        state = State.FORWARDING_BODY;
        if (hasNoBody(out)) {
            // The decoder delivers the request's LastHttpContent right after the head, and its
            // writeAndFlush sends both in one TLS record and one write call.
            watchUpstreamWrite(upstream.write(out));
        } else {
            watchUpstreamWrite(upstream.writeAndFlush(out));
        }
        upstream.read();
        drainPending();
        readClientIfNeeded();
    }

    /** Returns whether a request has no body: neither Content-Length nor Transfer-Encoding. */
    private static boolean hasNoBody(HttpRequest request) {
        return !request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
                && !request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
    }

    private static String hostHeader(Target target) {
        return target.port() == target.defaultPort() || target.port() == 443 && target.tunnel()
                ? (target.host().indexOf(':') >= 0 ? "[" + target.host() + "]" : target.host())
                : target.authority();
    }

    // request body

    private void clientToProxyBody(HttpContent content) {
        if (upstream == null) {
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            // A broken chunk or length must not look like a complete body upstream.
            Throwable cause = content.decoderResult().cause();
            content.release();
            abortUpstreamRequest();
            rejectMalformed(cause);
            return;
        }
        boolean last = content instanceof LastHttpContent;
        HttpHeaders trailers = last ? ((LastHttpContent) content).trailingHeaders().copy() : null;
        BodyGate gate = exchange.body;
        if (trailers != null && !trailers.isEmpty()) {
            Optional<Finding> inTrailers = runtime.snapshot().inspector()
                    .scanHead(exchange.target.host(), "", trailers);
            if (inTrailers.isPresent() && !warnOnly(inTrailers.get())) {
                content.release();
                abortUpstreamRequest();
                refuse(Refusal.forbidden("dlp:" + inTrailers.get().ruleId(), "the request trailers "
                        + "contain a secret: " + Inspector.describe(inTrailers.get())));
                return;
            }
        }

        BodyGate.Verdict verdict = gate.offer(content.content().retain());
        content.release();
        if (verdict == BodyGate.Verdict.CONTINUE && last) {
            verdict = gate.finish();
        }
        if (verdict != BodyGate.Verdict.CONTINUE && !handleBodyVerdict(verdict, gate)) {
            return;
        }

        gate.drainReleasable(buf -> {
            exchange.bytesUp += buf.readableBytes();
            watchUpstreamWrite(upstream.write(new DefaultHttpContent(buf)));
        });
        if (last) {
            LastHttpContent end = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            end.trailingHeaders().set(trailers);
            watchUpstreamWrite(upstream.writeAndFlush(end));
            exchange.requestComplete = true;
            state = State.AWAITING_RESPONSE;
            if (exchange.responseComplete) {
                completeExchange();
            }
        } else {
            upstream.flush();
        }
    }

    /** Returns true when forwarding may go on (warn mode); otherwise the request was refused. */
    private boolean handleBodyVerdict(BodyGate.Verdict verdict, BodyGate gate) {
        switch (verdict) {
            case LEAK -> {
                Finding finding = gate.findings().get(0);
                if (warnOnly(finding)) {
                    gate.continueUnscanned();
                    return true;
                }
                abortUpstreamRequest();
                refuse(Refusal.forbidden("dlp:" + finding.ruleId(), "the request body contains a "
                        + "secret: " + Inspector.describe(finding)));
            }
            case TOO_LARGE -> {
                abortUpstreamRequest();
                refuse(new Refusal("body_too_large", 413, gate.problem()
                        + "; raise dlp.max_scanned_body or set dlp.past_max: pass"));
            }
            case DECODED_TOO_LARGE -> {
                abortUpstreamRequest();
                refuse(new Refusal("decoded_body_too_large", 413, gate.problem()
                        + " (a compression bomb, or raise dlp.max_decoded_body)"));
            }
            case INVALID_ENCODING -> {
                abortUpstreamRequest();
                refuse(Refusal.badRequest("invalid_encoding", "the body does not match its "
                        + "Content-Encoding: " + gate.problem()));
            }
            default -> throw new AssertionError(verdict);
        }
        return false;
    }

    /** Closes the upstream leg mid-request, so the upstream never receives a complete request. */
    private void abortUpstreamRequest() {
        closeUpstream();
    }

    // upstream to client

    boolean isCurrentUpstream(Channel channel) {
        return channel == upstream;
    }

    void upstreamToProxyHttp(Object msg) {
        if (exchange == null || exchange.audited || state == State.WEBSOCKET) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                failUpstream("upstream_protocol", "the upstream sent a malformed response");
                return;
            }
            upstreamResponseHead(response);
        }
        if (msg instanceof HttpContent content) {
            upstreamResponseContent(content);
        }
    }

    private void upstreamResponseHead(HttpResponse response) {
        int code = response.status().code();
        if (code == 101 && exchange.webSocket) {
            switchToWebSocket(response);
            return;
        }
        boolean informational = code >= 100 && code < 200;
        if (!informational) {
            exchange.status = code;
            exchange.responseStarted = true;
            exchange.upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        }
        HttpHeaders headers = response.headers();
        boolean delimitedByClose = !informational && !HttpUtil.isContentLengthSet(response)
                && !HttpUtil.isTransferEncodingChunked(response) && mayHaveBody(code);
        HopByHopHeaders.strip(headers, false);
        headers.add(HttpHeaderNames.VIA, ProxyResponses.VIA);
        if (!informational && exchange.clientVersion.equals(HttpVersion.HTTP_1_0)
                && HttpUtil.isTransferEncodingChunked(response)) {
            // HTTP/1.0 has no chunked coding: send the body plain and end it by closing.
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            exchange.clientKeepAlive = false;
        }
        if (!informational) {
            exchange.clientKeepAlive &= !delimitedByClose;
            headers.set(HttpHeaderNames.CONNECTION, exchange.clientKeepAlive
                    ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        ctx.write(response);
    }

    private boolean mayHaveBody(int code) {
        return !(code == 204 || code == 304 || HttpMethod.HEAD.name().equals(exchange.method));
    }

    private void upstreamResponseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (!exchange.responseStarted) {
            // End of an informational (1xx) response: nothing to send for it.
            content.release();
            ctx.flush();
            return;
        }
        exchange.bytesDown += content.content().readableBytes();
        ctx.writeAndFlush(content);
        if (last) {
            exchange.responseComplete = true;
            if (exchange.requestComplete) {
                completeExchange();
            } else {
                // The upstream responded before the request body ended. The client connection
                // cannot be resynchronised, so it ends after this response.
                exchange.clientKeepAlive = false;
                closeUpstream();
                completeExchange();
            }
        }
    }

    private void completeExchange() {
        auditExchange(exchange.warnedRule != null ? Decision.WARNED : Decision.ALLOWED,
                exchange.warnedRule != null ? exchange.warnedRule : exchange.admission.rule().host(),
                exchange.status, exchange.body != null && exchange.body.passedUnscanned()
                        ? "body past the scanning limit was forwarded unscanned" : null);
        boolean keepAlive = exchange.clientKeepAlive;
        exchangesServed++;
        if (!exchange.upstreamKeepAlive) {
            closeUpstream();
        }
        closeExchange();
        if (!keepAlive) {
            state = State.CLOSED;
            closeOnFlush(ctx.channel());
            closeUpstream();
            return;
        }
        state = State.AWAITING_REQUEST;
        startHeaderTimer();
        drainPending();
        readClientIfNeeded();
    }

    void upstreamToProxyRaw(Object msg) {
        if (state == State.WEBSOCKET && msg instanceof ByteBuf buf) {
            exchange.bytesDown += buf.readableBytes();
            ctx.writeAndFlush(buf);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    void readUpstreamIfWritable(Channel channel) {
        if (channel == upstream && ctx.channel().isWritable()) {
            channel.read();
        }
    }

    void upstreamWritabilityChanged(Channel channel) {
        if (channel == upstream && channel.isWritable()) {
            readClientIfNeeded();
        }
    }

    void upstreamClosed(Channel channel) {
        if (channel != upstream) {
            return;
        }
        upstream = null;
        upstreamKey = null;
        if (exchange == null || exchange.audited) {
            if (state == State.WEBSOCKET) {
                closeOnFlush(ctx.channel());
            }
            return;
        }
        if (state == State.WEBSOCKET) {
            completeWebSocket();
            return;
        }
        if (!exchange.responseStarted) {
            failUpstream("upstream_closed", "the upstream closed the connection without a response");
        } else {
            auditExchange(Decision.FAILED, "upstream_closed", exchange.status,
                    "the upstream closed the connection before the response ended");
            state = State.CLOSED;
            closeOnFlush(ctx.channel());
        }
    }

    void upstreamFailed(Channel channel, Throwable cause) {
        if (channel != upstream) {
            return;
        }
        log.info("conn={} {} upstream {} failed: {}", connection.id(), connection.client(),
                upstreamKey, describe(cause));
        if (exchange != null && !exchange.audited && !exchange.responseStarted && state != State.WEBSOCKET) {
            failUpstream(cause instanceof SSLException || cause.getCause() instanceof SSLException
                    ? "upstream_tls" : "upstream_error", "the upstream connection failed: " + describe(cause));
        }
    }

    private void failUpstream(String rule, String reason) {
        closeUpstream();
        if (exchange == null || exchange.audited) {
            return;
        }
        Refusal refusal = new Refusal(rule, 502, reason);
        auditExchange(Decision.FAILED, rule, 502, reason);
        sendFinalResponse(ProxyResponses.refusal(ctx.alloc(), refusal, describeRequest(), runtime.hints()));
    }

    // WebSocket

    private void switchToWebSocket(HttpResponse response) {
        exchange.status = 101;
        exchange.responseStarted = true;
        response.headers().add(HttpHeaderNames.VIA, ProxyResponses.VIA);
        ctx.writeAndFlush(response);

        webSocket = new WebSocketScanner(runtime.snapshot().inspector(), exchange.target.host(),
                new WebSocketScanner.Relay() {
                    @Override
                    public void toUpstream(WebSocketFrame frame) {
                        exchange.bytesUp += frame.content().readableBytes();
                        upstream.writeAndFlush(frame);
                    }

                    @Override
                    public void refuse(Finding finding, int closeCode, String reason) {
                        refuseWebSocket(finding, closeCode, reason);
                    }
                });
        state = State.WEBSOCKET;

        // Client leg: frames are decoded for scanning; upstream frames pass through as bytes.
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true).allowExtensions(true)
                .maxFramePayloadLength(1 << 20).build();
        ctx.pipeline().addAfter(Pipelines.HTTP_CODEC, Pipelines.WEBSOCKET_DECODER,
                new WebSocket08FrameDecoder(config));
        ctx.pipeline().remove(Pipelines.HTTP_CODEC);

        upstream.pipeline().addAfter(Pipelines.HTTP_CODEC, "websocket-encoder", new WebSocket08FrameEncoder(true));
        upstream.pipeline().remove(Pipelines.HTTP_CODEC);

        drainPending();
        upstream.read();
        ctx.read();
    }

    private void refuseWebSocket(Finding finding, int closeCode, String reason) {
        closeUpstream();
        String rule = finding != null ? "dlp:" + finding.ruleId() : "websocket_limit";
        auditExchange(Decision.REFUSED, rule, 101, reason);
        state = State.CLOSED;
        ByteBuf close = ctx.alloc().buffer();
        // Unmasked server-to-client close frame: FIN + opcode 8, then code and a short reason.
        byte[] text = ("egress-proxy: " + rule).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int length = Math.min(text.length, 120);
        close.writeByte(0x88).writeByte(2 + length).writeShort(closeCode).writeBytes(text, 0, length);
        ctx.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
    }

    private void completeWebSocket() {
        auditExchange(Decision.ALLOWED, exchange.admission.rule().host(), 101, "websocket closed");
        state = State.CLOSED;
        closeOnFlush(ctx.channel());
    }

    // refusals, audit and cleanup

    /** Sends {@code refusal} to the client, records it, and closes the connection. */
    private void refuse(Refusal refusal) {
        if (exchange == null) {
            exchange = new Exchange("?", "?", System.nanoTime());
        }
        auditExchange(Decision.REFUSED, refusal.rule(), refusal.status(), refusal.reason());
        closeUpstream();
        state = State.CLOSED;
        releasePending();
        if (ctx.pipeline().get(HttpServerCodec.class) == null) {
            ctx.close();
            return;
        }
        sendFinalResponse(ProxyResponses.refusal(ctx.alloc(), refusal, describeRequest(), runtime.hints()));
    }

    /**
     * Writes a response after which the connection ends. The output side is shut after it, and
     * the rest of the request (for example an upload the refusal interrupted) is read and dropped
     * for up to {@link #DRAIN_MILLIS}: closing with unread input would make the kernel send a
     * reset, and the client would lose the response.
     */
    private void sendFinalResponse(Object response) {
        state = State.DRAINING;
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
                return;
            }
            SslHandler ssl = f.channel().pipeline().get(SslHandler.class);
            if (ssl != null) {
                ssl.closeOutbound();
            } else if (f.channel() instanceof io.netty.channel.socket.DuplexChannel duplex) {
                duplex.shutdownOutput();
            } else {
                f.channel().close();
                return;
            }
            f.channel().eventLoop().schedule(() -> f.channel().close(), DRAIN_MILLIS, TimeUnit.MILLISECONDS);
            f.channel().read();
        });
    }

    private String describeRequest() {
        Target target = exchange.target;
        String where = target == null ? withoutUserinfo(exchange.uri)
                : exchange.hostRedacted ? "[redacted]:" + target.port() : target.authority();
        return exchange.method + " " + (where.length() > 200 ? where.substring(0, 200) : where);
    }

    private void auditExchange(Decision decision, String rule, int status, String reason) {
        if (exchange == null || exchange.audited) {
            return;
        }
        exchange.audited = true;
        Target target = exchange.target;
        String path = exchange.pathRedacted ? "[redacted]"
                : AuditRecord.withoutQueryValues(exchange.originForm);
        if (tunnel != null && exchange.bytesUp + exchange.bytesDown > 0) {
            tunnel.bytesUp += exchange.bytesUp;
            tunnel.bytesDown += exchange.bytesDown;
        }
        runtime.audit().record(new AuditRecord(Instant.now(), connection.id(), connection.client(),
                exchange.method, exchange.hostRedacted ? "[redacted]"
                        : target != null ? target.host() : truncate(withoutUserinfo(exchange.uri)),
                target != null ? target.port() : 0, path, decision, rule, status, exchange.bytesUp,
                exchange.bytesDown, (System.nanoTime() - exchange.startNanos) / 1_000_000, reason));
    }

    private void auditTunnel() {
        Target target = tunnel.admission().target();
        runtime.audit().record(new AuditRecord(Instant.now(), connection.id(), connection.client(),
                "CONNECT", target.host(), target.port(), null, Decision.ALLOWED,
                tunnel.admission().rule().host(), 200, tunnel.bytesUp, tunnel.bytesDown,
                (System.nanoTime() - tunnel.startNanos()) / 1_000_000,
                tunnel.tls() ? "tunnel closed (TLS bumped)" : "tunnel closed (plain HTTP)"));
    }

    /** Removes {@code user:password@} from a request target, so it is never echoed or logged. */
    private static String withoutUserinfo(String uri) {
        int at = uri.indexOf('@');
        if (at < 0) {
            return uri;
        }
        int start = uri.indexOf("//");
        int slash = uri.indexOf('/', start < 0 ? 0 : start + 2);
        if (slash >= 0 && slash < at) {
            return uri;
        }
        return (start < 0 ? "" : uri.substring(0, start + 2)) + "***@" + uri.substring(at + 1);
    }

    private static String truncate(String s) {
        return s == null ? null : s.length() > 200 ? s.substring(0, 200) : s;
    }

    private void closeExchange() {
        if (exchange != null && exchange.body != null) {
            exchange.body.close();
        }
        exchange = null;
    }

    private void queuePending(Object msg) {
        if (pending.size() >= MAX_PENDING_MESSAGES) {
            ReferenceCountUtil.release(msg);
            closeBoth();
            return;
        }
        pending.add(msg);
    }

    private void drainPending() {
        while (!pending.isEmpty() && (state == State.AWAITING_REQUEST || state == State.FORWARDING_BODY
                || state == State.WEBSOCKET)) {
            channelRead(ctx, pending.poll());
        }
    }

    private void releasePending() {
        Object msg;
        while ((msg = pending.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void readClientIfNeeded() {
        boolean reading = state == State.AWAITING_REQUEST || state == State.FORWARDING_BODY
                || state == State.WEBSOCKET || state == State.DRAINING;
        if (reading && pending.isEmpty() && (upstream == null || upstream.isWritable())) {
            ctx.read();
        }
    }

    /**
     * Arms the header timeout for the next request. It runs from the first byte of that request:
     * until a byte arrives, a fresh connection counts as a slow client, while a kept-alive one is
     * only idle (the idle timeout covers it).
     *
     * <p>One timer serves all requests of the connection: a check that finds a request in
     * progress looks again a timeout later. Scheduling and cancelling a task per request cost
     * measurable CPU in keep-alive benchmarks.
     */
    private void startHeaderTimer() {
        ReadActivity.mark(ctx.channel());
        if (headerTimer == null) {
            scheduleHeaderCheck(runtime.limits().headerTimeout().toNanos());
        }
    }

    private void scheduleHeaderCheck(long delayNanos) {
        headerTimer = ctx.executor().schedule(this::checkHeaderTimeout, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkHeaderTimeout() {
        headerTimer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        switch (state) {
            case AWAITING_REQUEST -> {
                // Checked below.
            }
            case ADMITTING, FORWARDING_BODY, AWAITING_RESPONSE -> {
                scheduleHeaderCheck(runtime.limits().headerTimeout().toNanos());
                return;
            }
            default -> {
                // A tunnel, WebSocket or closing connection gets no further request heads.
                return;
            }
        }
        long timeout = runtime.limits().headerTimeout().toNanos();
        long first = ReadActivity.firstReadSinceMark(ctx.channel());
        if (first == 0 && exchangesServed > 0) {
            scheduleHeaderCheck(timeout);
            return;
        }
        long left = first == 0 ? 0 : first + timeout - System.nanoTime();
        if (left > 0) {
            scheduleHeaderCheck(left);
            return;
        }
        exchange = new Exchange("?", "?", System.nanoTime());
        refuse(new Refusal("header_timeout", 408, "no complete request head within "
                + runtime.limits().headerTimeout().toMillis() + " ms"));
    }

    private void cancelHeaderTimer() {
        if (headerTimer != null) {
            headerTimer.cancel(false);
            headerTimer = null;
        }
    }

    /**
     * Logs a failed upstream write at DEBUG, and does nothing else: an I/O error closes the
     * upstream channel, and {@link #upstreamClosed} handles that. So the listener is added only
     * while DEBUG is on, because a listener per write costs measurable CPU at tens of thousands
     * of requests per second.
     */
    private void watchUpstreamWrite(ChannelFuture write) {
        if (log.isDebugEnabled()) {
            write.addListener(this::logUpstreamWriteFailure);
        }
    }

    private void logUpstreamWriteFailure(io.netty.util.concurrent.Future<? super Void> future) {
        if (!future.isSuccess() && !(future.cause() instanceof ClosedChannelException)) {
            log.debug("conn={} write to upstream failed", connection.id(), future.cause());
        }
    }

    private void closeUpstream() {
        if (upstream != null) {
            Channel channel = upstream;
            upstream = null;
            upstreamKey = null;
            channel.close();
        }
    }

    private void closeBoth() {
        state = State.CLOSED;
        closeUpstream();
        ctx.close();
    }

    private void cleanUp() {
        cancelHeaderTimer();
        releasePending();
        closeUpstream();
        if (exchange != null && exchange.body != null) {
            exchange.body.close();
        }
        if (webSocket != null) {
            webSocket.close();
        }
    }

    private static void closeOnFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
