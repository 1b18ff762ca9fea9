package dev.claudebottle.supervise;

/** Supervise failed to start or stop, for example because the port is taken. The cause is the I/O error. */
public final class SuperviseException extends RuntimeException {

    public SuperviseException(String message, Throwable cause) {
        super(message, cause);
    }

    public SuperviseException(String message) {
        super(message);
    }
}
