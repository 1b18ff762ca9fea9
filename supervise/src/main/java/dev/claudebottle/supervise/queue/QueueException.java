package dev.claudebottle.supervise.queue;

/**
 * A queue operation that failed: unknown id, request already decided, invalid modified input, too
 * many pending requests, or a file that cannot be read or written. The message names the request and
 * the next step; the cause, when present, is the I/O error.
 */
public final class QueueException extends RuntimeException {

    /** The cause of the failure, so that callers can choose a reply without parsing the message. */
    public enum Reason {
        NOT_FOUND,
        ALREADY_DECIDED,
        INVALID_INPUT,
        QUEUE_FULL,
        IO
    }

    private final Reason reason;

    public QueueException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public QueueException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
