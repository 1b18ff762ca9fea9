package dev.claudebottle.credproxy;

/**
 * Failure of cred-proxy: an invalid route table, a server that cannot bind, or a missing
 * token. The message names the input and the fix; it never contains a token value.
 */
public class CredProxyException extends RuntimeException {

    public CredProxyException(String message) {
        super(message);
    }

    public CredProxyException(String message, Throwable cause) {
        super(message, cause);
    }
}
