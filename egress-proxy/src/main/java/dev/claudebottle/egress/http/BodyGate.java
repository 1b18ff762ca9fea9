package dev.claudebottle.egress.http;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;

import dev.claudebottle.dlp.Finding;
import dev.claudebottle.dlp.StreamScan;
import dev.claudebottle.egress.config.DlpSettings;

/**
 * Holds back request body bytes until DLP has cleared them. Raw chunks are queued as they
 * arrive, decoded per {@code Content-Encoding}, and scanned as one stream; a raw byte is released
 * upstream only when every decoded byte it contributed to lies before the scan's held-back tail.
 * So a secret split across chunks, or hidden in compressed data, is caught before its last byte
 * leaves. Lives on one event loop; {@link #close()} releases whatever is still queued.
 */
final class BodyGate implements AutoCloseable {

    /** Outcome of the last call. */
    enum Verdict { CONTINUE, LEAK, TOO_LARGE, DECODED_TOO_LARGE, INVALID_ENCODING }

    private record Checkpoint(long rawEnd, long decodedEnd) {
    }

    /** Size of the array that direct-memory chunks are copied through for scanning. */
    private static final int COPY_BUFFER_SIZE = 16 * 1024;

    private final Inspector inspector;
    private final String host;
    private final DlpSettings settings;
    private final ContentDecoder decoder;
    private StreamScan scan;
    private byte[] copyBuffer;
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private final ArrayDeque<Checkpoint> checkpoints = new ArrayDeque<>();
    private final List<Finding> findings = new ArrayList<>();
    private long rawFed;
    private long rawReleased;
    private long releasableRaw;
    private boolean passthrough;
    private boolean finished;
    private String problem;

    /**
     * @throws IllegalArgumentException when the Content-Encoding cannot be decoded for scanning
     */
    BodyGate(Inspector inspector, String host, String contentEncoding) {
        this.inspector = inspector;
        this.host = host;
        this.settings = inspector.settings();
        this.passthrough = !settings.enabled();
        this.decoder = passthrough ? null
                : ContentDecoder.forEncoding(contentEncoding, settings.maxDecodedBody());
    }

    /**
     * Returns the stream scan, starting it on the first body byte: most requests (GET, HEAD)
     * have no body, and a scan allocates its buffers up front.
     */
    private StreamScan scan() {
        if (scan == null) {
            scan = inspector.newStream();
        }
        return scan;
    }

    /** Findings (counting toward the host) reported so far. */
    List<Finding> findings() {
        return findings;
    }

    /** Describes the last non-CONTINUE verdict other than a leak. */
    String problem() {
        return problem;
    }

    /** Whether the scanning cap was passed and the rest flows unscanned (past_max: pass). */
    boolean passedUnscanned() {
        return passthrough && settings.enabled();
    }

    /** Lets the rest of the body through unscanned (after a finding in warn mode). */
    void continueUnscanned() {
        passthrough = true;
        releasableRaw = rawFed;
    }

    /** Queues {@code chunk} (the gate takes ownership) and scans it. */
    Verdict offer(ByteBuf chunk) {
        int length = chunk.readableBytes();
        if (length > 0) {
            queue.add(chunk);
        } else {
            chunk.release();
        }
        rawFed += length;
        if (passthrough) {
            releasableRaw = rawFed;
            return Verdict.CONTINUE;
        }
        ByteBuf view = queue.isEmpty() || length == 0 ? null : queue.peekLast();
        Verdict verdict = view == null ? Verdict.CONTINUE : scanChunk(view);
        updateReleasable();
        return verdict;
    }

    /** Ends the body: scans the held-back tail; afterwards everything left is releasable. */
    Verdict finish() {
        finished = true;
        if (passthrough) {
            releasableRaw = rawFed;
            return Verdict.CONTINUE;
        }
        if (decoder != null) {
            try {
                decoder.finish();
            } catch (ContentDecoder.InvalidEncodingException e) {
                problem = e.getMessage();
                return Verdict.INVALID_ENCODING;
            }
        }
        List<Finding> tail = scan == null ? List.of() : inspector.relevant(host, scan.finish());
        findings.addAll(tail);
        releasableRaw = rawFed;
        return tail.isEmpty() ? Verdict.CONTINUE : Verdict.LEAK;
    }

    /** Hands every releasable byte, in order, to {@code out}, which takes ownership. */
    void drainReleasable(Consumer<ByteBuf> out) {
        while (rawReleased < releasableRaw && !queue.isEmpty()) {
            ByteBuf head = queue.peekFirst();
            long allowed = releasableRaw - rawReleased;
            if (head.readableBytes() <= allowed) {
                queue.pollFirst();
                rawReleased += head.readableBytes();
                out.accept(head);
            } else {
                int n = (int) allowed;
                rawReleased += n;
                out.accept(head.readRetainedSlice(n));
            }
        }
    }

    private Verdict scanChunk(ByteBuf chunk) {
        StreamScan scan = scan();
        List<Finding> found = new ArrayList<>();
        if (decoder == null) {
            feedPlain(scan, chunk, found);
        } else {
            byte[] bytes = new byte[chunk.readableBytes()];
            chunk.getBytes(chunk.readerIndex(), bytes);
            try {
                decoder.decode(ByteBuffer.wrap(bytes), (b, off, len) -> found.addAll(scan.feed(b, off, len)));
            } catch (ContentDecoder.DecodedTooLargeException e) {
                problem = "the decoded body is larger than " + settings.maxDecodedBody() + " bytes";
                return Verdict.DECODED_TOO_LARGE;
            } catch (ContentDecoder.InvalidEncodingException e) {
                problem = e.getMessage();
                return Verdict.INVALID_ENCODING;
            }
            checkpoints.add(new Checkpoint(rawFed, scan.position()));
        }
        List<Finding> counted = inspector.relevant(host, found);
        findings.addAll(counted);
        if (!counted.isEmpty()) {
            return Verdict.LEAK;
        }
        if (scan.position() > settings.maxScannedBody()) {
            if (settings.pastMax() == DlpSettings.PastMax.REFUSE) {
                problem = "the body is larger than the scanning limit of " + settings.maxScannedBody()
                        + " bytes";
                return Verdict.TOO_LARGE;
            }
            passthrough = true;
            releasableRaw = rawFed;
        }
        return Verdict.CONTINUE;
    }

    /**
     * Feeds an unencoded chunk to the scan through a reused copy buffer. The scan copies what it
     * keeps, so the buffer is free again after each call, and an upload no longer allocates a
     * heap array per chunk.
     */
    private void feedPlain(StreamScan scan, ByteBuf chunk, List<Finding> found) {
        if (chunk.hasArray()) {
            found.addAll(scan.feed(chunk.array(), chunk.arrayOffset() + chunk.readerIndex(),
                    chunk.readableBytes()));
            return;
        }
        if (copyBuffer == null) {
            copyBuffer = new byte[COPY_BUFFER_SIZE];
        }
        int end = chunk.writerIndex();
        for (int at = chunk.readerIndex(); at < end; ) {
            int n = Math.min(copyBuffer.length, end - at);
            chunk.getBytes(at, copyBuffer, 0, n);
            found.addAll(scan.feed(copyBuffer, 0, n));
            at += n;
        }
    }

    private void updateReleasable() {
        if (passthrough || finished) {
            releasableRaw = rawFed;
            return;
        }
        long cleared = scan == null ? 0 : scan.releasable();
        if (decoder == null) {
            releasableRaw = Math.max(releasableRaw, cleared);
            return;
        }
        while (!checkpoints.isEmpty() && checkpoints.peekFirst().decodedEnd() <= cleared) {
            releasableRaw = Math.max(releasableRaw, checkpoints.pollFirst().rawEnd());
        }
    }

    @Override
    public void close() {
        ByteBuf buf;
        while ((buf = queue.pollFirst()) != null) {
            buf.release();
        }
        if (decoder != null) {
            decoder.close();
        }
    }
}
