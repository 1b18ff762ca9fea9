package dev.claudebottle.egress.config;

/**
 * Settings for scanning request URLs, headers and bodies for secrets.
 *
 * @param enabled whether scanning runs at all
 * @param action what a finding does: block the request (403) or only record it in the audit log
 * @param maxScannedBody bytes of (decoded) body scanned per request
 * @param pastMax what happens to a body longer than {@code maxScannedBody}
 * @param maxDecodedBody cap on the decompressed size of a body sent with a Content-Encoding;
 *     past it the request is refused with 413 whatever {@code pastMax} is set to (compression bombs)
 */
public record DlpSettings(boolean enabled, Action action, long maxScannedBody, PastMax pastMax,
                          long maxDecodedBody) {

    public static final DlpSettings DEFAULTS =
            new DlpSettings(true, Action.BLOCK, 16L << 20, PastMax.REFUSE, 64L << 20);

    /** Effect of a DLP finding. */
    public enum Action { BLOCK, WARN }

    /** Treatment of the part of a body past the scanning cap. */
    public enum PastMax {
        /** Respond 413 and send nothing more upstream. */
        REFUSE,
        /** Forward the rest unscanned, and record that in the audit log. */
        PASS
    }
}
