package dev.claudebottle.dlp;

/**
 * A compressed body decoded to more bytes than the configured cap. Proxies reply to it with 413,
 * because a body that cannot be inspected in bounded memory must not pass unscanned.
 */
public final class DecodedSizeLimitException extends DlpException {
    private static final long serialVersionUID = 1L;

    private final long limit;

    public DecodedSizeLimitException(String encoding, long limit) {
        super("decoded " + encoding + " body exceeds the limit of " + limit
                + " bytes; raise the decoded-body limit or send the body uncompressed");
        this.limit = limit;
    }

    /** Returns the cap in decoded bytes that was exceeded. */
    public long limit() {
        return limit;
    }
}
