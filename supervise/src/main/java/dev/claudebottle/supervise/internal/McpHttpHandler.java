package dev.claudebottle.supervise.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudebottle.supervise.mcp.JsonRpcError;
import dev.claudebottle.supervise.mcp.McpDispatcher;
import dev.claudebottle.supervise.mcp.McpReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Admits MCP HTTP requests and writes the dispatcher's replies.
 *
 * <p>Guard ladder, in order: decodable HTTP, path {@code /} or {@code /mcp}, {@code Host}, {@code Origin},
 * method, {@code Content-Type}, {@code Accept}; only then does the body reach the
 * {@link McpDispatcher}, on the worker executor because tool calls write files. Replies are written
 * on the channel's event loop in request order, so pipelined requests get their responses in order.
 * One instance serves one channel.
 */
final class McpHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(McpHttpHandler.class);

    /** Requests a client may pipeline before the connection is closed. */
    private static final int MAX_IN_FLIGHT = 8;

    private final McpDispatcher dispatcher;
    private final HostGuard hostGuard;
    private final Executor worker;
    /** Bound on one reply, above the tool calls' own wait, so a lost future cannot hang the connection. */
    private final Duration replyTimeout;

    /** Completes when the last reply so far has been written; touched only on the event loop. */
    private CompletableFuture<Void> replyTail = CompletableFuture.completedFuture(null);
    private int inFlight;

    McpHttpHandler(McpDispatcher dispatcher, HostGuard hostGuard, Executor worker, Duration replyTimeout) {
        this.dispatcher = dispatcher;
        this.hostGuard = hostGuard;
        this.worker = worker;
        this.replyTimeout = replyTimeout;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (++inFlight > MAX_IN_FLIGHT) {
            log.info("{}: more than {} pipelined requests, closing", ctx.channel().remoteAddress(), MAX_IN_FLIGHT);
            ctx.close();
            return;
        }
        CompletableFuture<McpReply> reply = route(request)
                .orTimeout(replyTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(this::internalFailure);
        replyTail = replyTail
                .thenCombine(reply, (previous, current) -> current)
                .thenAcceptAsync(current -> write(ctx, current), ctx.executor())
                .exceptionally(failure -> closeAfterWriteFailure(ctx, failure));
    }

    /** Closes the connection when a reply could not be written, since later replies would be out of order. */
    private Void closeAfterWriteFailure(ChannelHandlerContext ctx, Throwable failure) {
        log.debug("{}: cannot write an MCP reply, closing", ctx.channel().remoteAddress(), failure);
        ctx.channel().close();
        return null;
    }

    private CompletableFuture<McpReply> route(FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return plainError(400, "the request is not valid HTTP/1.1");
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (!path.equals("/") && !path.equals("/mcp")) {
            return plainError(404, "no MCP endpoint at this path; use / or /mcp");
        }
        if (!hostGuard.allowsHost(request.headers().get(HttpHeaderNames.HOST))) {
            return plainError(403, "Host header not accepted; reach supervise by its bundle name, "
                    + "such as http://supervise:9100/");
        }
        if (!hostGuard.allowsOrigin(request.headers().get(HttpHeaderNames.ORIGIN))) {
            return plainError(403, "Origin header not accepted; supervise takes requests only from "
                    + "the bottle's MCP client, not from web pages");
        }

        String sessionId = request.headers().get(McpDispatcher.SESSION_HEADER);
        HttpMethod method = request.method();
        if (HttpMethod.DELETE.equals(method)) {
            return CompletableFuture.completedFuture(dispatcher.delete(sessionId));
        }
        if (HttpMethod.GET.equals(method)) {
            // The GET event stream is optional and supervise sends no server-initiated messages. The
            // 405 has no body because MCP SDK clients read a GET response body as an event stream.
            return CompletableFuture.completedFuture(new McpReply(405, null, null));
        }
        if (!HttpMethod.POST.equals(method)) {
            return plainError(405, "use POST for JSON-RPC messages and DELETE to end a session");
        }
        if (!isJson(request.headers().get(HttpHeaderNames.CONTENT_TYPE))) {
            return plainError(415, "Content-Type must be application/json");
        }
        if (!acceptsJson(request.headers().get(HttpHeaderNames.ACCEPT))) {
            return plainError(406, "Accept must include application/json");
        }

        byte[] body = ByteBufUtil.getBytes(request.content());
        String protocolVersion = request.headers().get(McpDispatcher.PROTOCOL_VERSION_HEADER);
        try {
            return CompletableFuture.supplyAsync(() -> dispatcher.post(sessionId, protocolVersion, body), worker)
                    .thenCompose(future -> future);
        } catch (RejectedExecutionException e) {
            return plainError(503, "supervise is shutting down; try again later");
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip();
        return mediaType.equalsIgnoreCase(HttpHeaderValues.APPLICATION_JSON.toString());
    }

    /** A missing Accept means anything; otherwise JSON or a wildcard must be listed. */
    private static boolean acceptsJson(String accept) {
        if (accept == null) {
            return true;
        }
        String lower = accept.toLowerCase(Locale.ROOT);
        return lower.contains("application/json") || lower.contains("*/*") || lower.contains("application/*");
    }

    private static CompletableFuture<McpReply> plainError(int status, String message) {
        JsonNode body = JsonRpcError.INVALID_REQUEST.response(null, message);
        return CompletableFuture.completedFuture(McpReply.json(status, body));
    }

    private McpReply internalFailure(Throwable failure) {
        log.error("MCP request failed before the dispatcher returned a reply", failure);
        return McpReply.json(500, JsonRpcError.INTERNAL_ERROR.response(null,
                "internal error in supervise; try again later"));
    }

    private void write(ChannelHandlerContext ctx, McpReply reply) {
        inFlight--;
        if (!ctx.channel().isActive()) {
            return;
        }
        ByteBuf content = reply.body() == null
                ? Unpooled.EMPTY_BUFFER
                : Unpooled.copiedBuffer(Json.write(reply.body()), StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), content);
        if (reply.body() != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
        if (reply.sessionId() != null) {
            response.headers().set(McpDispatcher.SESSION_HEADER, reply.sessionId());
        }
        if (reply.status() == 405) {
            response.headers().set(HttpHeaderNames.ALLOW, "POST, DELETE");
        }
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(response, content.readableBytes());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent && inFlight == 0) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: closing MCP connection after an error", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
