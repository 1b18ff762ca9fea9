package dev.claudebottle.egress.tunnel;

import java.util.List;
import java.util.function.BiConsumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Looks at the first byte a client sends inside an admitted CONNECT tunnel: a TLS handshake
 * record (0x16) gets the TLS bump, an upper-case letter (an HTTP method, for example a ws://
 * request after {@code CONNECT host:80}) gets the plain-HTTP policy, anything else is refused.
 * Until {@link #start()} (after the 200 went out) it only keeps what arrives, so bytes the
 * client pipelined behind the CONNECT are neither lost nor parsed as HTTP.
 */
public final class TunnelSniffer extends ByteToMessageDecoder {

    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    private static final int MAX_KEPT_BYTES = 64 * 1024;

    private final BiConsumer<ChannelHandlerContext, Boolean> install;
    private final Runnable refuse;
    private ChannelHandlerContext ctx;
    private boolean started;
    private boolean decided;

    /**
     * @param install rebuilds the pipeline behind this handler; the flag is true for TLS
     * @param refuse called when the bytes are neither TLS nor HTTP
     */
    public TunnelSniffer(BiConsumer<ChannelHandlerContext, Boolean> install, Runnable refuse) {
        this.install = install;
        this.refuse = refuse;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf) {
            super.channelRead(ctx, msg);
        } else {
            // The end-of-request marker of the CONNECT itself, left over from the HTTP decoder.
            ReferenceCountUtil.release(msg);
        }
    }

    /** Starts sniffing: decides on bytes already kept, or reads the client. */
    public void start() {
        started = true;
        try {
            super.channelRead(ctx, Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
            return;
        }
        if (!decided) {
            ctx.read();
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!started && in.readableBytes() > MAX_KEPT_BYTES) {
            // The CONNECT was refused or is still pending; a client this eager gets nothing kept.
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!started || decided || !in.isReadable()) {
            return;
        }
        decided = true;
        int first = in.getUnsignedByte(in.readerIndex());
        if (first == TLS_HANDSHAKE_RECORD) {
            install.accept(ctx, true);
        } else if (first >= 'A' && first <= 'Z') {
            install.accept(ctx, false);
        } else {
            in.skipBytes(in.readableBytes());
            refuse.run();
            return;
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (started && !decided) {
            ctx.read();
        }
    }
}
