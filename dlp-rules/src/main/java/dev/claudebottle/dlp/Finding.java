package dev.claudebottle.dlp;

/**
 * One secret found by a {@link SecretScanner}.
 *
 * <p>Offsets are byte offsets into the scanned input (absolute stream offsets for a
 * {@link StreamScan}), {@code start} inclusive and {@code end} exclusive. For a secret found in
 * decoded form they span the encoded bytes in the input. The record holds only a redacted sample,
 * never the secret itself, so it is safe to log, print and send in a 403 body.
 *
 * @param ruleId id of the rule or literal that matched
 * @param description what kind of secret this is
 * @param start offset of the first byte of the secret in the input
 * @param end offset just after the last byte of the secret in the input
 * @param redacted the first 4 characters and the length, e.g. {@code AKIA…(20 chars)}
 * @param encoding how the secret was encoded in the input: {@code plain}, or the decoders applied,
 *     outermost first, e.g. {@code base64} or {@code url+json}
 */
public record Finding(String ruleId, String description, long start, long end, String redacted, String encoding) {

    /** Number of leading characters of a secret that a redacted sample shows. */
    public static final int SAMPLE_CHARS = 4;

    /**
     * Builds the redacted sample of a secret: its first {@value #SAMPLE_CHARS} characters (non-printable
     * ones as {@code ?}) and its length in characters.
     */
    public static String redact(CharSequence secret) {
        return redact(secret, secret.length());
    }

    /**
     * Builds a redacted sample from the secret's leading characters (only the first
     * {@value #SAMPLE_CHARS} are used) and its full length.
     */
    public static String redact(CharSequence leading, int length) {
        StringBuilder sample = new StringBuilder(SAMPLE_CHARS + 16);
        int shown = Math.min(SAMPLE_CHARS, leading.length());
        for (int i = 0; i < shown; i++) {
            char c = leading.charAt(i);
            sample.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sample.append("…(").append(length).append(" chars)").toString();
    }
}
