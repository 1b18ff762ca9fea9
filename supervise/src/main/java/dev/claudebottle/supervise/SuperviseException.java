package dev.claudebottle.supervise;

/** Supervise could not start or stop, such as a port that is taken; the cause holds the I/O error. */
public final class SuperviseException extends RuntimeException {

    public SuperviseException(String message, Throwable cause) {
        super(message, cause);
    }

    public SuperviseException(String message) {
        super(message);
    }
}
