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
 * <p>The scan holds back a tail of the stream: however the stream is split into chunks, no byte of
 * a secret becomes releasable before the secret is reported. A finding is reported by the first
 * {@code feed} that delivers every byte its rule may inspect (at most the rule's maxLength after
 * its keyword, more for encoded secrets), or by {@code finish}. Memory stays bounded whatever the
 * stream length or chunk sizes: about the held-back tail plus 64 KiB.
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
