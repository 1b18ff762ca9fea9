package dev.claudebottle.bundle.supervision;

/** Thrown when a bundle service could not start; the message names the service and the reason. */
public final class ServiceStartException extends Exception {

    public ServiceStartException(String message, Throwable cause) {
        super(message, cause);
    }

    public ServiceStartException(String message) {
        super(message);
    }
}
