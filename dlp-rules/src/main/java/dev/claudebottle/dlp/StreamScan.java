package dev.claudebottle.dlp;

import java.util.List;

/**
 * A scan over a stream of chunks of any size, from {@link SecretScanner#newStream()}.
 *
 * <p>Lifecycle: call {@link #feed} for each chunk in order, forward at most {@link #releasable()}
 * bytes from the start of the stream after each call, then call {@link #finish()} once at the end
 * of the stream, after which everything is releasable. Stop forwarding (and, for a proxy, reject
 * the request) as soon as any call returns a finding.
 *
 * <p>The scan holds back a tail of the stream: a secret split across chunks is reported by the
 * {@code feed} call that delivers its last byte (or by {@code finish}), and none of its bytes is
 * releasable before that. Memory stays bounded whatever the stream length: about the held-back
 * tail plus one chunk.
 *
 * <p>Findings carry absolute stream offsets, and each is reported once. Not thread-safe: use one
 * instance per stream, from one thread at a time.
 */
public interface StreamScan {

    /**
     * Scans the next chunk of the stream.
     *
     * @return findings completed by this chunk, ordered by start offset
     * @throws IllegalStateException after {@link #finish()}
     */
    List<Finding> feed(byte[] bytes, int offset, int length);

    /**
     * Returns how many bytes from the start of the stream may be forwarded, given the findings
     * reported so far. Never decreases.
     */
    long releasable();

    /**
     * Ends the stream and returns the findings in the held-back tail.
     *
     * @throws IllegalStateException when called twice
     */
    List<Finding> finish();

    /** Returns the number of bytes fed so far. */
    long position();
}
