package dev.claudebottle.egress;

/**
 * The one exception type of the egress proxy: a configuration that cannot be used, a CA that
 * cannot be loaded or written, or a listener that cannot bind. The message names the input and
 * the fix; the cause, when there is one, is attached.
 */
public class EgressProxyException extends RuntimeException {

    public EgressProxyException(String message) {
        super(message);
    }

    public EgressProxyException(String message, Throwable cause) {
        super(message, cause);
    }
}
