package dev.claudebottle.dlp.internal;

import dev.claudebottle.dlp.ContentDecoder;
import dev.claudebottle.dlp.DecodedSizeLimitException;
import dev.claudebottle.dlp.DlpException;
import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Push-mode decoder for the {@code gzip} (RFC 1952, several members allowed) and {@code deflate}
 * codings. The JDK's {@link java.util.zip.GZIPInputStream} pulls from a stream, which a proxy
 * receiving chunks on an event loop cannot give it, so the gzip framing is parsed here and the
 * compressed data goes to an {@link Inflater}. {@code deflate} is zlib (RFC 1950) as RFC 9110
 * defines it, or raw deflate (RFC 1951) as some servers send it, told apart by the zlib header check.
 */
public final class InflatingContentDecoder implements ContentDecoder {
    /** Largest gzip header accepted (optional name and comment included). */
    private static final int MAX_GZIP_HEADER = 64 * 1024;
    private static final int GZIP_TRAILER = 8;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    /** The coding this decoder undoes. */
    public enum Format { GZIP, DEFLATE }

    private enum State { HEADER, BODY, TRAILER, MEMBER_END }

    private final Format format;
    private final long max;
    private final byte[] out = new byte[16 * 1024];
    private final ByteArrayOutputStream framing = new ByteArrayOutputStream();
    private final CRC32 crc = new CRC32();
    private Inflater inflater;
    private State state = State.HEADER;
    private long decoded;
    private long memberSize;

    public InflatingContentDecoder(Format format, long maxDecodedBytes) {
        this.format = format;
        this.max = maxDecodedBytes;
    }

    private String name() {
        return format == Format.GZIP ? "gzip" : "deflate";
    }

    @Override
    public void decode(byte[] bytes, int offset, int length, Sink sink) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            i = switch (state) {
                case HEADER -> readHeader(bytes, i, end, sink);
                case BODY -> inflate(bytes, i, end, sink);
                case TRAILER -> readTrailer(bytes, i, end);
                case MEMBER_END -> startNextMember(bytes, i);
            };
        }
    }

    @Override
    public void finish(Sink sink) {
        boolean empty = state == State.HEADER && framing.size() == 0 && inflater == null;
        if (state != State.MEMBER_END && !empty) {
            throw new DlpException(name() + " body is truncated; the sender must send the complete body");
        }
    }

    @Override
    public long decodedBytes() {
        return decoded;
    }

    @Override
    public void close() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    private int startNextMember(byte[] bytes, int i) {
        if (format == Format.DEFLATE) {
            throw new DlpException("deflate body has data after its end");
        }
        state = State.HEADER;
        return i;
    }

    /** Buffers framing bytes until the header is complete, then starts the inflater. */
    private int readHeader(byte[] bytes, int i, int end, Sink sink) {
        int needed = format == Format.GZIP ? gzipHeaderLength() : 2;
        while (i < end && (needed < 0 || framing.size() < needed)) {
            framing.write(bytes[i++]);
            if (framing.size() > MAX_GZIP_HEADER) {
                throw new DlpException("gzip header is longer than " + MAX_GZIP_HEADER + " bytes");
            }
            needed = format == Format.GZIP ? gzipHeaderLength() : 2;
        }
        if (needed < 0 || framing.size() < needed) {
            return i;
        }

        byte[] header = framing.toByteArray();
        framing.reset();
        if (inflater != null) {
            inflater.end();
        }
        if (format == Format.GZIP) {
            inflater = new Inflater(true);
            crc.reset();
            memberSize = 0;
            state = State.BODY;
            return i;
        }

        // RFC 1950: CM = 8 and the 16-bit header a multiple of 31 mark a zlib stream.
        int cmf = header[0] & 0xff;
        int flg = header[1] & 0xff;
        boolean zlib = (cmf & 0x0f) == 8 && (cmf * 256 + flg) % 31 == 0;
        inflater = new Inflater(!zlib);
        state = State.BODY;
        if (inflate(header, 0, header.length, sink) < header.length) {
            throw new DlpException("deflate body has data after its end");
        }
        return i;
    }

    /**
     * Returns the total gzip header length once the buffered bytes determine it, or -1 while more
     * bytes are needed. Fails on a header that is not gzip.
     */
    private int gzipHeaderLength() {
        byte[] h = framing.toByteArray();
        if (h.length >= 2 && ((h[0] & 0xff) != 0x1f || (h[1] & 0xff) != 0x8b)) {
            throw new DlpException("body is not gzip (invalid magic bytes) although Content-Encoding is gzip");
        }
        if (h.length < 10) {
            return -1;
        }
        if ((h[2] & 0xff) != 8) {
            throw new DlpException("gzip body uses unknown compression method " + (h[2] & 0xff));
        }
        int flags = h[3] & 0xff;
        int at = 10;
        if ((flags & FEXTRA) != 0) {
            if (h.length < at + 2) {
                return -1;
            }
            at += 2 + ((h[at] & 0xff) | (h[at + 1] & 0xff) << 8);
        }
        for (int flag : new int[] {FNAME, FCOMMENT}) {
            if ((flags & flag) != 0) {
                while (at < h.length && h[at] != 0) {
                    at++;
                }
                if (at >= h.length) {
                    return -1;
                }
                at++;
            }
        }
        if ((flags & FHCRC) != 0) {
            at += 2;
        }
        return at;
    }

    /** Inflates {@code bytes[i, end)} and returns the index just after the bytes it consumed. */
    private int inflate(byte[] bytes, int i, int end, Sink sink) {
        inflater.setInput(bytes, i, end - i);
        try {
            while (true) {
                int n = inflater.inflate(out);
                if (n > 0) {
                    emit(n, sink);
                }
                if (inflater.finished()) {
                    state = format == Format.GZIP ? State.TRAILER : State.MEMBER_END;
                    return end - inflater.getRemaining();
                }
                if (inflater.needsDictionary()) {
                    throw new DlpException(name() + " body needs a preset dictionary, which HTTP does not provide");
                }
                if (inflater.needsInput() || n == 0) {
                    return end;
                }
            }
        } catch (DataFormatException e) {
            throw new DlpException(name() + " body is corrupt: " + e.getMessage(), e);
        }
    }

    private void emit(int n, Sink sink) {
        decoded += n;
        if (decoded > max) {
            throw new DecodedSizeLimitException(name(), max);
        }
        crc.update(out, 0, n);
        memberSize += n;
        sink.accept(out, 0, n);
    }

    /** Reads and checks the gzip trailer: CRC-32 and size modulo 2^32, both little-endian. */
    private int readTrailer(byte[] bytes, int i, int end) {
        while (i < end && framing.size() < GZIP_TRAILER) {
            framing.write(bytes[i++]);
        }
        if (framing.size() < GZIP_TRAILER) {
            return i;
        }
        byte[] t = framing.toByteArray();
        framing.reset();
        long storedCrc = le32(t, 0);
        long storedSize = le32(t, 4);
        if (storedCrc != crc.getValue() || storedSize != (memberSize & 0xffffffffL)) {
            throw new DlpException("gzip body is corrupt: CRC or size in the trailer does not match the data");
        }
        state = State.MEMBER_END;
        return i;
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }
}
