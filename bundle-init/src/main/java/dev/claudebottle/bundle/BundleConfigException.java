package dev.claudebottle.bundle;

/** Thrown when the bundle config is invalid; the message names the file, the key and the fix. */
public final class BundleConfigException extends RuntimeException {

    public BundleConfigException(String message) {
        super(message);
    }

    public BundleConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
