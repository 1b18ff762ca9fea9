package dev.claudebottle.supervise.tools;

/**
 * Tool arguments that fail validation. The message is shown to the agent: it names the argument, the
 * problem and the fix, and never repeats a value that looked like a secret.
 */
public final class ToolInputException extends IllegalArgumentException {

    public ToolInputException(String message) {
        super(message);
    }
}
