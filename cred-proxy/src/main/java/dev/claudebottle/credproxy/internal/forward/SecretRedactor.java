package dev.claudebottle.credproxy.internal.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Replaces an injected secret in a streamed response body with asterisks of the same length,
 * so {@code Content-Length} stays valid. Only the end of a chunk that could begin a secret is
 * heldBack back until the next chunk, so event streams whose chunks end in a newline are not
 * delayed.
 *
 * <p>NOTE: compressed bodies pass unscanned; an upstream that echoes the token inside a gzip
 * body would reach the agent.
 *
 * <p>Not thread-safe; one instance serves one response on one event loop.
 */
final class SecretRedactor {

    /** Shorter values would garble ordinary text; real tokens are far longer. */
    static final int MIN_SECRET_LENGTH = 8;

    private final byte[][] secrets;
    private final String[] secretStrings;
    /** Heap wrappers of {@link #secrets}; unpooled, so they need no release. */
    private final ByteBuf[] secretBuffers;
    private byte[] heldBack = new byte[0];

    SecretRedactor(List<String> secrets) {
        List<String> usable = secrets.stream().filter(secret -> secret.length() >= MIN_SECRET_LENGTH).distinct().toList();
        this.secretStrings = usable.toArray(String[]::new);
        this.secrets = usable.stream().map(secret -> secret.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        this.secretBuffers = Arrays.stream(this.secrets).map(Unpooled::wrappedBuffer).toArray(ByteBuf[]::new);
    }

    /** Returns whether {@code text} contains any secret. */
    boolean containsSecret(String text) {
        for (String secret : secretStrings) {
            if (text.contains(secret)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the redacted bytes of {@code chunk} that are safe to send now, consuming it. The
     * caller owns the result; {@code chunk} is released.
     */
    ByteBuf process(ByteBuf chunk, ByteBufAllocator allocator, boolean last) {
        if (secrets.length == 0 || heldBack.length == 0 && isClean(chunk, last)) {
            return chunk;
        }
        byte[] data;
        try {
            data = new byte[heldBack.length + chunk.readableBytes()];
            System.arraycopy(heldBack, 0, data, 0, heldBack.length);
            chunk.getBytes(chunk.readerIndex(), data, heldBack.length, chunk.readableBytes());
        } finally {
            chunk.release();
        }
        redact(data);
        int keep = last ? 0 : partialSecretAtEnd(data);
        heldBack = Arrays.copyOfRange(data, data.length - keep, data.length);
        ByteBuf out = allocator.buffer(data.length - keep);
        out.writeBytes(data, 0, data.length - keep);
        return out;
    }

    /** Returns whether {@code chunk} contains no secret and, unless it is the last, ends in no secret's start. */
    private boolean isClean(ByteBuf chunk, boolean last) {
        for (ByteBuf secret : secretBuffers) {
            if (ByteBufUtil.indexOf(secret, chunk) >= 0) {
                return false;
            }
        }
        if (last) {
            return true;
        }
        int end = chunk.writerIndex();
        for (ByteBuf secret : secretBuffers) {
            int max = Math.min(secret.readableBytes() - 1, chunk.readableBytes());
            for (int length = max; length > 0; length--) {
                if (ByteBufUtil.equals(chunk, end - length, secret, 0, length)) {
                    return false;
                }
            }
        }
        return true;
    }

    private void redact(byte[] data) {
        for (byte[] secret : secrets) {
            for (int i = indexOf(data, secret, 0); i >= 0; i = indexOf(data, secret, i + secret.length)) {
                Arrays.fill(data, i, i + secret.length, (byte) '*');
            }
        }
    }

    /** Returns the length of the longest suffix of {@code data} that is a proper prefix of a secret. */
    private int partialSecretAtEnd(byte[] data) {
        int longest = 0;
        for (byte[] secret : secrets) {
            int max = Math.min(secret.length - 1, data.length);
            for (int length = max; length > longest; length--) {
                if (Arrays.equals(data, data.length - length, data.length, secret, 0, length)) {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }

    private static int indexOf(byte[] data, byte[] secret, int from) {
        outer:
        for (int i = from; i <= data.length - secret.length; i++) {
            for (int j = 0; j < secret.length; j++) {
                if (data[i + j] != secret[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
