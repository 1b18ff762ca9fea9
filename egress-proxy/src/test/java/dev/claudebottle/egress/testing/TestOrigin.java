package dev.claudebottle.egress.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslContext;

/**
 * A small HTTP(S) origin on 127.0.0.1 for the proxy tests. Paths choose the behaviour: {@code /sse}
 * sends one event, then waits for {@link #releaseSse()} before the second and the end;
 * {@code /ws} accepts a WebSocket and echoes text messages; anything else answers 200 with a
 * summary of the request. Every complete request is recorded for assertions.
 */
public final class TestOrigin implements AutoCloseable {

    /** What the origin received. */
    public record Received(String method, String uri, HttpHeaders headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> webSocketMessages = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> partialBodies = new LinkedBlockingQueue<>();
    private volatile CompletableFuture<Void> sseRelease = new CompletableFuture<>();

    public TestOrigin(SslContext tls) {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("codec", new HttpServerCodec());
                        ch.pipeline().addLast("origin", new OriginHandler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Waits for the next complete request. */
    public Received take() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the origin received no request within 10 s");
        }
        return r;
    }

    /** Returns the next request if one arrives within {@code millis}, else null. */
    public Received poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Requests whose connection ended before the body was complete, with the bytes seen. */
    public BlockingQueue<String> partialBodies() {
        return partialBodies;
    }

    public BlockingQueue<String> webSocketMessages() {
        return webSocketMessages;
    }

    /** Lets a waiting {@code /sse} response send its second event and end. */
    public void releaseSse() {
        sseRelease.complete(null);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class OriginHandler extends SimpleChannelInboundHandler<Object> {
        private HttpRequest request;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private WebSocketServerHandshaker handshaker;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof WebSocketFrame frame) {
                webSocketFrame(ctx, frame);
                return;
            }
            if (msg instanceof HttpRequest r) {
                request = r;
                body.reset();
            }
            if (msg instanceof HttpContent content) {
                byte[] bytes = new byte[content.content().readableBytes()];
                content.content().getBytes(content.content().readerIndex(), bytes);
                body.writeBytes(bytes);
                if (msg instanceof LastHttpContent) {
                    complete(ctx);
                }
            }
        }

        private void complete(ChannelHandlerContext ctx) {
            HttpRequest r = request;
            request = null;
            if (r.uri().startsWith("/ws")) {
                upgrade(ctx, r);
                return;
            }
            received.add(new Received(r.method().name(), r.uri(), r.headers().copy(), body.toByteArray()));
            if (r.uri().startsWith("/sse")) {
                serverSentEvents(ctx);
                return;
            }
            String text = "method=" + r.method() + " uri=" + r.uri() + " bytes=" + body.size() + "\n";
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            if (r.uri().startsWith("/big-header")) {
                response.headers().set("x-big", "b".repeat(20_000));
            }
            ctx.writeAndFlush(response);
        }

        private void serverSentEvents(ChannelHandlerContext ctx) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                    .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            ctx.write(head);
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("data: one\n\n", StandardCharsets.UTF_8)));
            CompletableFuture<Void> release = sseRelease;
            release.whenComplete((v, e) -> ctx.executor().execute(() -> {
                ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("data: two\n\n", StandardCharsets.UTF_8)));
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                sseRelease = new CompletableFuture<>();
            }));
        }

        private void upgrade(ChannelHandlerContext ctx, HttpRequest r) {
            DefaultFullHttpRequest full = new DefaultFullHttpRequest(r.protocolVersion(), r.method(), r.uri(),
                    Unpooled.EMPTY_BUFFER, r.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
            handshaker = new WebSocketServerHandshakerFactory("ws://origin" + r.uri(), null, true)
                    .newHandshaker(full);
            handshaker.handshake(ctx.channel(), full);
        }

        private void webSocketFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame text) {
                webSocketMessages.add(text.text());
                ctx.writeAndFlush(new TextWebSocketFrame("echo: " + text.text()));
            } else if (frame instanceof io.netty.handler.codec.http.websocketx.CloseWebSocketFrame close) {
                handshaker.close(ctx.channel(), close.retain());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (request != null) {
                partialBodies.add(body.toString(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
