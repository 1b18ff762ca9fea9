package dev.claudebottle.launcher;

/**
 * A failure the user can act on, described in three parts: what failed, why, and what to do.
 * The command line prints it as {@code claude-bottle: error: <what>, <why>, <what to do>}.
 */
public class LauncherException extends RuntimeException {

    private final String what;
    private final String why;
    private final String fix;

    public LauncherException(String what, String why, String fix) {
        this(what, why, fix, null);
    }

    public LauncherException(String what, String why, String fix, Throwable cause) {
        super(what + ", " + why + ", " + fix, cause);
        this.what = what;
        this.why = why;
        this.fix = fix;
    }

    /** Returns the failed action or the invalid input, such as "cannot start agent reviewer". */
    public String what() {
        return what;
    }

    /** Returns the reason, in the user's terms. */
    public String why() {
        return why;
    }

    /** Returns the next step that resolves the failure. */
    public String fix() {
        return fix;
    }
}
