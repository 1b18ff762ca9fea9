package dev.claudebottle.dlp;

/**
 * The one exception type of dlp-rules. Messages name the input and the problem and never carry a
 * secret value.
 */
public class DlpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DlpException(String message) {
        super(message);
    }

    public DlpException(String message, Throwable cause) {
        super(message, cause);
    }
}
