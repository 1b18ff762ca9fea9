package dev.claudebottle.gitgate.scan;

/**
 * One secret found in a push. The secret itself is never held: gitleaks runs with
 * {@code --redact}, so the report it writes contains no secret value.
 *
 * @param ruleId gitleaks rule that matched, e.g. {@code aws-access-token}
 * @param file path inside the repository, or {@code (commit message)} / {@code (tag message)}
 * @param line 1-based line in the file as of that commit
 * @param objectId the commit (or annotated tag) that added the line
 */
public record Finding(String ruleId, String file, int line, String objectId) {

    /** Formats the finding as one line for the pusher, with control characters from the path replaced. */
    public String describe() {
        return "rule " + printable(ruleId) + ", file " + printable(file) + ", line " + line
                + ", commit " + abbreviate(objectId) + ", secret redacted";
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 300));
        text.codePoints().limit(300).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static String abbreviate(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
