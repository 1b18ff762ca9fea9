package dev.claudebottle.dlp;

/**
 * A streaming decoder for one HTTP {@code Content-Encoding}, so a proxy can scan the decoded body
 * as it passes, in bounded memory.
 *
 * <p>Lifecycle: {@link #decode} for each chunk of the encoded body in order, {@link #finish} once
 * at the end, and {@link #close} always (also after an exception), which frees native memory.
 * Decoded bytes are handed to the sink during these calls; the sink must copy what it keeps. Once
 * more than the decoder's limit has been decoded, the call throws {@link DecodedSizeLimitException}
 * (a proxy replies 413). A corrupt or truncated body throws {@link DlpException} (a proxy
 * replies 400). Not
 * thread-safe.
 *
 * <p>Implement this to plug in an encoding that dlp-rules does not ship (see
 * {@link ContentDecoders#with}).
 */
public interface ContentDecoder extends AutoCloseable {

    /** Receives decoded bytes; valid only during the call. */
    @FunctionalInterface
    interface Sink {
        void accept(byte[] bytes, int offset, int length);
    }

    /** Creates a decoder for one body, with a cap on decoded bytes. */
    @FunctionalInterface
    interface Factory {
        ContentDecoder create(long maxDecodedBytes);
    }

    /** Decodes the next chunk of the encoded body. */
    void decode(byte[] bytes, int offset, int length, Sink sink);

    /** Ends the body; throws {@link DlpException} when it was truncated. */
    void finish(Sink sink);

    /** Returns the number of bytes decoded so far. */
    long decodedBytes();

    /** Frees the decoder's resources; idempotent. */
    @Override
    void close();
}
