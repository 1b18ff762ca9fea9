package dev.claudebottle.gitgate;

/**
 * Failure of the git gate: invalid configuration, an unreadable identity, or a mirror that
 * cannot be created. The message names the entry or file involved and the fix.
 */
public class GitGateException extends RuntimeException {

    public GitGateException(String message) {
        super(message);
    }

    public GitGateException(String message, Throwable cause) {
        super(message, cause);
    }
}
