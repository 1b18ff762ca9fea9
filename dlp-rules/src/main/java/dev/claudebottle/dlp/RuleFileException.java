package dev.claudebottle.dlp;

/** A rule file that cannot be loaded: names the file, the rule id (when known) and the reason. */
public final class RuleFileException extends DlpException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String ruleId;

    public RuleFileException(String file, String ruleId, String reason) {
        this(file, ruleId, reason, null);
    }

    public RuleFileException(String file, String ruleId, String reason, Throwable cause) {
        super(file + (ruleId == null ? "" : ": rule '" + ruleId + "'") + ": " + reason, cause);
        this.file = file;
        this.ruleId = ruleId;
    }

    /** Returns the rule file as given by the caller, or the resource name for the built-in rules. */
    public String file() {
        return file;
    }

    /** Returns the id of the rule that failed, or null when the failure is not inside one rule. */
    public String ruleId() {
        return ruleId;
    }
}
