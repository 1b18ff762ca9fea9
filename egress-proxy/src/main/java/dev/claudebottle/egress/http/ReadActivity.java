package dev.claudebottle.egress.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * Records when a client connection first delivers bytes after a mark. The header timeout then
 * runs from the first byte of a request rather than from the end of the previous one, because an
 * idle kept-alive connection is not a slow client. It is the first handler of a client pipeline.
 */
@ChannelHandler.Sharable
public final class ReadActivity extends ChannelInboundHandlerAdapter {

    public static final ReadActivity INSTANCE = new ReadActivity();

    private static final AttributeKey<long[]> FIRST_READ = AttributeKey.valueOf("egress.firstRead");

    private ReadActivity() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long[] first = ctx.channel().attr(FIRST_READ).get();
        if (first != null && first[0] == 0) {
            first[0] = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
    }

    /** Starts a new observation: the next read sets the time. */
    static void mark(Channel channel) {
        long[] first = channel.attr(FIRST_READ).get();
        if (first == null) {
            channel.attr(FIRST_READ).set(new long[1]);
        } else {
            first[0] = 0;
        }
    }

    /** Returns the {@link System#nanoTime()} of the first read since the mark, or 0 for none. */
    static long firstReadSinceMark(Channel channel) {
        long[] first = channel.attr(FIRST_READ).get();
        return first == null ? 0 : first[0];
    }
}
