package dev.claudebottle.dlp.internal;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import dev.claudebottle.dlp.ContentDecoder;
import dev.claudebottle.dlp.DecodedSizeLimitException;
import dev.claudebottle.dlp.DlpException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Push-mode decoder for the {@code br} coding (RFC 7932) on brotli4j's native decoder, which
 * takes input and returns output in bounded buffers.
 */
public final class BrotliContentDecoder implements ContentDecoder {
    private static final int INPUT_BUFFER = 16 * 1024;

    private final long max;
    private final byte[] copy = new byte[16 * 1024];
    private DecoderJNI.Wrapper wrapper;
    private long decoded;
    private boolean sawInput;

    public BrotliContentDecoder(long maxDecodedBytes) {
        this.max = maxDecodedBytes;
        try {
            Brotli4jLoader.ensureAvailability();
            this.wrapper = new DecoderJNI.Wrapper(INPUT_BUFFER);
        } catch (IOException | UnsatisfiedLinkError e) {
            throw new DlpException("brotli decoder failed to start: " + e.getMessage(), e);
        }
    }

    /** Returns whether brotli4j's native library loads on this platform. */
    public static boolean isAvailable() {
        try {
            return Brotli4jLoader.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    @Override
    public void decode(byte[] bytes, int offset, int length, Sink sink) {
        requireOpen();
        sawInput |= length > 0;
        while (true) {
            switch (wrapper.getStatus()) {
                case NEEDS_MORE_INPUT -> {
                    if (length == 0) {
                        return;
                    }
                    int n = Math.min(length, INPUT_BUFFER);
                    ByteBuffer input = wrapper.getInputBuffer();
                    input.clear();
                    input.put(bytes, offset, n);
                    wrapper.push(n);
                    offset += n;
                    length -= n;
                }
                case NEEDS_MORE_OUTPUT -> pull(sink);
                case OK -> wrapper.push(0);
                case DONE -> {
                    pull(sink);
                    if (length > 0) {
                        throw new DlpException("br body has data after its end");
                    }
                    return;
                }
                default -> throw new DlpException("br body is corrupt");
            }
        }
    }

    private void pull(Sink sink) {
        while (wrapper.hasOutput()) {
            ByteBuffer output = wrapper.pull();
            while (output.hasRemaining()) {
                int n = Math.min(output.remaining(), copy.length);
                decoded += n;
                if (decoded > max) {
                    throw new DecodedSizeLimitException("br", max);
                }
                output.get(copy, 0, n);
                sink.accept(copy, 0, n);
            }
        }
    }

    @Override
    public void finish(Sink sink) {
        requireOpen();
        decode(new byte[0], 0, 0, sink);
        if (sawInput && wrapper.getStatus() != DecoderJNI.Status.DONE) {
            throw new DlpException("br body is truncated; the sender must send the complete body");
        }
    }

    private void requireOpen() {
        if (wrapper == null) {
            throw new IllegalStateException("brotli decoder is closed");
        }
    }

    @Override
    public long decodedBytes() {
        return decoded;
    }

    @Override
    public void close() {
        if (wrapper != null) {
            wrapper.destroy();
            wrapper = null;
        }
    }
}
