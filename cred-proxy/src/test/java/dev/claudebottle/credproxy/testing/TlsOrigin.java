package dev.claudebottle.credproxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTPS origin on 127.0.0.1 standing in for a remote API. Its behaviour is chosen by the
 * last path segment ({@link Behaviour}), and it records every request it completes.
 */
public final class TlsOrigin implements AutoCloseable {

    /** What the origin does, chosen by the last path segment of the request. */
    public enum Behaviour {
        /** 200 with body {@code ok N bytes}, N being the request body size. */
        ECHO,
        /** 200 {@code text/event-stream}: one event, then the next each time the test releases one. */
        SSE,
        /** 200 echoing the Authorization and x-api-key values in a header and in the body. */
        LEAK,
        /** Never answers. */
        SILENT,
        /** 200 with a {@code Set-Cookie} header. */
        COOKIE,
        /** 200 with a {@link #DOWNLOAD_SIZE}-byte body, written chunk by chunk as the socket drains. */
        DOWNLOAD,
        /** Closes the connection without a response if it already served a request, else 200. */
        DROPREUSED,
        /** 200 with a chunked body of three chunks: {@code one two three}. */
        CHUNKED;

        static Behaviour of(String uri) {
            String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
            String last = path.substring(path.lastIndexOf('/') + 1);
            for (Behaviour behaviour : values()) {
                if (behaviour.name().equalsIgnoreCase(last)) {
                    return behaviour;
                }
            }
            return ECHO;
        }
    }

    /** A request as the origin received it. */
    public record Received(String method, String uri, HttpHeaders headers, long bodyBytes) {
    }

    public static final int SSE_EVENTS = 3;
    public static final int DOWNLOAD_SIZE = 10 * 1024 * 1024;
    private static final int DOWNLOAD_CHUNK = 64 * 1024;

    private final Channel server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final java.util.Set<Channel> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<CompletableFuture<Void>> sseReleases = new CopyOnWriteArrayList<>();

    public TlsOrigin(EventLoopGroup group, SslContext tls) {
        for (int i = 0; i < SSE_EVENTS; i++) {
            sseReleases.add(new CompletableFuture<>());
        }
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        connections.incrementAndGet();
                        open.add(channel);
                        channel.closeFuture().addListener(closed -> open.remove(channel));
                        channel.pipeline().addLast(tls.newHandler(channel.alloc()), new HttpServerCodec(),
                                new OriginHandler());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .syncUninterruptibly()
                .channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Returns the queue of completed requests, oldest first, which tests poll or clear. */
    public BlockingQueue<Received> received() {
        return received;
    }

    public int connections() {
        return connections.get();
    }

    /** Returns the connections open right now. */
    public java.util.Set<Channel> openConnections() {
        return java.util.Set.copyOf(open);
    }

    /** Lets the SSE stream send event {@code index} (1-based; event 0 goes out at once). */
    public void releaseSseEvent(int index) {
        sseReleases.get(index).complete(null);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }

    private final class OriginHandler extends SimpleChannelInboundHandler<HttpObject> {
        private HttpRequest request;
        private long bodyBytes;
        private int served;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
            if (message instanceof HttpRequest head) {
                request = head;
                bodyBytes = 0;
            }
            if (message instanceof HttpContent content) {
                bodyBytes += content.content().readableBytes();
            }
            if (message instanceof LastHttpContent) {
                served++;
                HttpHeaders copy = new DefaultHttpHeaders().add(request.headers());
                received.add(new Received(request.method().name(), request.uri(), copy, bodyBytes));
                respond(ctx, request, bodyBytes);
            }
        }

        private void respond(ChannelHandlerContext ctx, HttpRequest head, long bytes) {
            switch (Behaviour.of(head.uri())) {
                case ECHO -> sendText(ctx, head, "ok " + bytes + " bytes", null);
                case LEAK -> {
                    String seen = head.headers().get(HttpHeaderNames.AUTHORIZATION, "") + "|"
                            + head.headers().get("x-api-key", "");
                    sendText(ctx, head, "you sent: " + seen, seen);
                }
                case COOKIE -> {
                    FullHttpResponse response = text(head, "cookie set");
                    response.headers().add(HttpHeaderNames.SET_COOKIE, "session=upstream-session-id; HttpOnly");
                    ctx.writeAndFlush(response);
                }
                case SSE -> streamEvents(ctx);
                case DOWNLOAD -> {
                    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setContentLength(response, DOWNLOAD_SIZE);
                    ctx.write(response);
                    sendDownloadChunk(ctx, 0);
                }
                case SILENT -> {
                }
                case CHUNKED -> {
                    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    HttpUtil.setTransferEncodingChunked(response, true);
                    ctx.write(response);
                    for (String part : new String[] {"one ", "two ", "three"}) {
                        ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer(part, StandardCharsets.UTF_8)));
                    }
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                }
                case DROPREUSED -> {
                    if (served > 1) {
                        ctx.close();
                    } else {
                        sendText(ctx, head, "ok " + bytes + " bytes", null);
                    }
                }
            }
        }

        private void streamEvents(ChannelHandlerContext ctx) {
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
            HttpUtil.setTransferEncodingChunked(response, true);
            ctx.write(response);
            sendEvent(ctx, 0);
        }

        private void sendDownloadChunk(ChannelHandlerContext ctx, int sent) {
            if (sent == DOWNLOAD_SIZE) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            byte[] chunk = new byte[Math.min(DOWNLOAD_CHUNK, DOWNLOAD_SIZE - sent)];
            java.util.Arrays.fill(chunk, (byte) 'd');
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk))).addListener(written -> {
                if (written.isSuccess()) {
                    sendDownloadChunk(ctx, sent + chunk.length);
                }
            });
        }

        private void sendEvent(ChannelHandlerContext ctx, int index) {
            if (index == SSE_EVENTS) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            String event = "event: message\ndata: {\"n\":" + index + "}\n\n";
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(event, StandardCharsets.UTF_8)));
            CompletableFuture<Void> next = index + 1 < SSE_EVENTS ? sseReleases.get(index + 1)
                    : CompletableFuture.completedFuture(null);
            next.thenRun(() -> ctx.executor().execute(() -> sendEvent(ctx, index + 1)));
        }

        private void sendText(ChannelHandlerContext ctx, HttpRequest head, String body, String echoHeader) {
            FullHttpResponse response = text(head, body);
            if (echoHeader != null) {
                response.headers().set("x-echo", echoHeader);
            }
            ChannelFutureListener after = HttpUtil.isKeepAlive(head) ? ChannelFutureListener.CLOSE_ON_FAILURE
                    : ChannelFutureListener.CLOSE;
            ctx.writeAndFlush(response).addListener(after);
        }

        private FullHttpResponse text(HttpRequest head, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            return response;
        }
    }
}
