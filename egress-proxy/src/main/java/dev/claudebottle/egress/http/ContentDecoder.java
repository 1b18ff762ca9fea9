package dev.claudebottle.egress.http;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.github.luben.zstd.ZstdDecompressCtx;

/**
 * Streaming decoder for one request body's {@code Content-Encoding} (gzip, deflate, br, zstd), so
 * DLP scans what the upstream will read. Output is produced in small pieces and counted, and
 * decoding stops with {@link DecodedTooLargeException} as soon as the count passes the cap: a
 * compression bomb costs bounded memory and CPU. Not thread-safe; one instance per body.
 */
abstract class ContentDecoder implements AutoCloseable {

    private static final int PIECE = 16 * 1024;

    /** Receives decoded bytes; the array is reused after the call returns. */
    interface Sink {
        void accept(byte[] bytes, int offset, int length);
    }

    /** Thrown when the decoded size passes the cap. */
    static final class DecodedTooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        DecodedTooLargeException(long cap) {
            super("decoded body is larger than " + cap + " bytes");
        }
    }

    /** Thrown when the body is not valid in its declared encoding. */
    static final class InvalidEncodingException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidEncodingException(String message) {
            super(message);
        }
    }

    private final long cap;
    private long produced;
    protected final byte[] piece = new byte[PIECE];

    protected ContentDecoder(long cap) {
        this.cap = cap;
    }

    /**
     * Returns a decoder for the {@code Content-Encoding} value, null for identity, or throws
     * {@link IllegalArgumentException} naming an unsupported or stacked encoding.
     */
    static ContentDecoder forEncoding(String contentEncoding, long cap) {
        if (contentEncoding == null) {
            return null;
        }
        String value = contentEncoding.trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty() || value.equals("identity")) {
            return null;
        }
        return switch (value) {
            case "gzip", "x-gzip" -> new Gzip(cap);
            case "deflate" -> new Deflate(cap);
            case "br" -> {
                if (!Brotli4jLoader.isAvailable()) {
                    throw new IllegalArgumentException("Content-Encoding br cannot be decoded here "
                            + "(brotli native library unavailable)");
                }
                yield new Brotli(cap);
            }
            case "zstd" -> new Zstd(cap);
            default -> throw new IllegalArgumentException("Content-Encoding '" + contentEncoding
                    + "' is not supported for scanning; send the body as gzip, deflate, br, zstd "
                    + "or uncompressed");
        };
    }

    /** Decodes {@code input} (consumed completely) and hands the output to {@code sink}. */
    abstract void decode(ByteBuffer input, Sink sink)
            throws DecodedTooLargeException, InvalidEncodingException;

    /** Checks that the stream ended cleanly. */
    abstract void finish() throws InvalidEncodingException;

    @Override
    public abstract void close();

    protected final void emit(Sink sink, byte[] bytes, int offset, int length)
            throws DecodedTooLargeException {
        produced += length;
        if (produced > cap) {
            throw new DecodedTooLargeException(cap);
        }
        sink.accept(bytes, offset, length);
    }

    /** deflate (zlib-wrapped per RFC 9110, raw deflate accepted too) via {@link Inflater}. */
    private static class Deflate extends ContentDecoder {
        protected Inflater inflater;
        private final byte[] in = new byte[PIECE];

        Deflate(long cap) {
            super(cap);
        }

        @Override
        void decode(ByteBuffer input, Sink sink) throws DecodedTooLargeException, InvalidEncodingException {
            if (inflater == null && input.remaining() >= 2) {
                int b0 = input.get(input.position()) & 0xff;
                int b1 = input.get(input.position() + 1) & 0xff;
                boolean zlib = (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
                inflater = new Inflater(!zlib);
            } else if (inflater == null) {
                inflater = new Inflater(true);
            }
            inflate(input, sink);
        }

        protected void inflate(ByteBuffer input, Sink sink)
                throws DecodedTooLargeException, InvalidEncodingException {
            while (input.hasRemaining() && !inflater.finished()) {
                int n = Math.min(in.length, input.remaining());
                input.get(in, 0, n);
                inflater.setInput(in, 0, n);
                drain(sink);
                int left = inflater.getRemaining();
                if (left > 0) {
                    input.position(input.position() - left);
                }
            }
            if (inflater.finished()) {
                afterMember(input);
            }
        }

        /** Handles the end of the deflate stream; {@code input} contains the bytes after it. */
        protected void afterMember(ByteBuffer input) throws InvalidEncodingException {
            if (input.hasRemaining()) {
                throw new InvalidEncodingException("bytes follow the end of the deflate stream");
            }
        }

        private void drain(Sink sink) throws DecodedTooLargeException, InvalidEncodingException {
            try {
                while (!inflater.needsInput() && !inflater.finished()) {
                    int n = inflater.inflate(piece);
                    if (n > 0) {
                        emit(sink, piece, 0, n);
                    } else if (inflater.needsDictionary()) {
                        throw new InvalidEncodingException("deflate stream needs a preset dictionary");
                    } else if (!inflater.needsInput()) {
                        break;
                    }
                }
            } catch (DataFormatException e) {
                throw new InvalidEncodingException("invalid deflate data: " + e.getMessage());
            }
        }

        @Override
        void finish() throws InvalidEncodingException {
            if (inflater != null && !inflater.finished()) {
                throw new InvalidEncodingException("the compressed body ends early");
            }
        }

        @Override
        public void close() {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    /**
     * gzip (RFC 1952), including several members one after another, which decoders upstream
     * also read: a secret hidden in a second member is still scanned.
     */
    private static final class Gzip extends Deflate {
        private final ByteBuffer header = ByteBuffer.allocate(64 * 1024);
        private int trailerLeft;
        private boolean inMember;

        Gzip(long cap) {
            super(cap);
        }

        @Override
        void decode(ByteBuffer input, Sink sink) throws DecodedTooLargeException, InvalidEncodingException {
            while (input.hasRemaining()) {
                if (trailerLeft > 0) {
                    int skip = Math.min(trailerLeft, input.remaining());
                    input.position(input.position() + skip);
                    trailerLeft -= skip;
                } else if (!inMember) {
                    readHeader(input);
                } else {
                    inflate(input, sink);
                }
            }
        }

        private void readHeader(ByteBuffer input) throws InvalidEncodingException {
            while (input.hasRemaining() && header.hasRemaining()) {
                header.put(input.get());
                int length = headerLength();
                if (length > 0 && header.position() == length) {
                    header.clear();
                    inMember = true;
                    if (inflater != null) {
                        inflater.end();
                    }
                    inflater = new Inflater(true);
                    return;
                }
            }
            if (!header.hasRemaining()) {
                throw new InvalidEncodingException("gzip header is longer than 64 KiB");
            }
        }

        /** Returns the full header length once it is known from the bytes so far, else -1. */
        private int headerLength() throws InvalidEncodingException {
            byte[] h = header.array();
            int have = header.position();
            if (have >= 2 && ((h[0] & 0xff) != 0x1f || (h[1] & 0xff) != 0x8b)) {
                throw new InvalidEncodingException("body declared gzip has no gzip header");
            }
            if (have < 10) {
                return -1;
            }
            int flags = h[3] & 0xff;
            int pos = 10;
            if ((flags & 4) != 0) {
                if (have < pos + 2) {
                    return -1;
                }
                pos += 2 + ((h[pos] & 0xff) | (h[pos + 1] & 0xff) << 8);
            }
            for (int flag : new int[] {8, 16}) {
                if ((flags & flag) != 0) {
                    while (pos < have && h[pos] != 0) {
                        pos++;
                    }
                    if (pos >= have) {
                        return -1;
                    }
                    pos++;
                }
            }
            if ((flags & 2) != 0) {
                pos += 2;
            }
            return have >= pos ? pos : -1;
        }

        @Override
        protected void afterMember(ByteBuffer input) {
            inMember = false;
            trailerLeft = 8;
        }

        @Override
        void finish() throws InvalidEncodingException {
            if (inMember || trailerLeft > 0 || header.position() > 0) {
                throw new InvalidEncodingException("the gzip body ends early");
            }
        }
    }

    /** br (RFC 7932) through brotli4j's streaming decoder. */
    private static final class Brotli extends ContentDecoder {
        private final DecoderJNI.Wrapper decoder;
        private boolean done;

        Brotli(long cap) {
            super(cap);
            try {
                decoder = new DecoderJNI.Wrapper(PIECE);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create a brotli decoder", e);
            }
        }

        @Override
        void decode(ByteBuffer input, Sink sink) throws DecodedTooLargeException, InvalidEncodingException {
            while (true) {
                switch (decoder.getStatus()) {
                    case DONE -> {
                        done = true;
                        if (input.hasRemaining()) {
                            throw new InvalidEncodingException("bytes follow the end of the brotli stream");
                        }
                        return;
                    }
                    case OK -> decoder.push(0);
                    case NEEDS_MORE_OUTPUT -> pull(sink);
                    case NEEDS_MORE_INPUT -> {
                        if (decoder.hasOutput()) {
                            pull(sink);
                        } else if (!input.hasRemaining()) {
                            return;
                        } else {
                            ByteBuffer target = decoder.getInputBuffer();
                            target.clear();
                            int n = Math.min(target.remaining(), input.remaining());
                            ByteBuffer slice = input.slice();
                            slice.limit(n);
                            target.put(slice);
                            input.position(input.position() + n);
                            decoder.push(n);
                        }
                    }
                    default -> throw new InvalidEncodingException("invalid brotli data");
                }
            }
        }

        private void pull(Sink sink) throws DecodedTooLargeException {
            ByteBuffer out = decoder.pull();
            while (out.hasRemaining()) {
                int n = Math.min(piece.length, out.remaining());
                out.get(piece, 0, n);
                emit(sink, piece, 0, n);
            }
        }

        @Override
        void finish() throws InvalidEncodingException {
            if (!done && decoder.getStatus() != DecoderJNI.Status.DONE) {
                throw new InvalidEncodingException("the brotli body ends early");
            }
        }

        @Override
        public void close() {
            decoder.destroy();
        }
    }

    /** zstd (RFC 8878) through zstd-jni's streaming decompression context. */
    private static final class Zstd extends ContentDecoder {
        private final ZstdDecompressCtx context = new ZstdDecompressCtx();
        private final ByteBuffer in = ByteBuffer.allocateDirect(PIECE);
        private final ByteBuffer out = ByteBuffer.allocateDirect(PIECE);
        private boolean frameDone = true;

        Zstd(long cap) {
            super(cap);
        }

        @Override
        void decode(ByteBuffer input, Sink sink) throws DecodedTooLargeException, InvalidEncodingException {
            while (input.hasRemaining()) {
                in.clear();
                int n = Math.min(in.remaining(), input.remaining());
                ByteBuffer slice = input.slice();
                slice.limit(n);
                in.put(slice);
                input.position(input.position() + n);
                in.flip();
                drain(sink);
            }
        }

        private void drain(Sink sink) throws DecodedTooLargeException, InvalidEncodingException {
            while (true) {
                out.clear();
                int before = in.position();
                try {
                    boolean ended = context.decompressDirectByteBufferStream(out, in);
                    if (ended) {
                        frameDone = true;
                    } else if (in.position() > before) {
                        frameDone = false;
                    }
                } catch (RuntimeException e) {
                    throw new InvalidEncodingException("invalid zstd data: " + e.getMessage());
                }
                out.flip();
                boolean wrote = out.hasRemaining();
                while (out.hasRemaining()) {
                    int n = Math.min(piece.length, out.remaining());
                    out.get(piece, 0, n);
                    emit(sink, piece, 0, n);
                }
                if (!in.hasRemaining() && !wrote) {
                    return;
                }
            }
        }

        @Override
        void finish() throws InvalidEncodingException {
            if (!frameDone) {
                throw new InvalidEncodingException("the zstd body ends early");
            }
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
