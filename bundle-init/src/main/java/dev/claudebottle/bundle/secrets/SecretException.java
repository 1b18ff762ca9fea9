package dev.claudebottle.bundle.secrets;

/** Thrown when the secrets document cannot be received or read; messages never carry a value. */
public final class SecretException extends Exception {

    public SecretException(String message) {
        super(message);
    }

    public SecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
