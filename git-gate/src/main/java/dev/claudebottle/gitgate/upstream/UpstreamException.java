package dev.claudebottle.gitgate.upstream;

/**
 * An upstream fetch or push that did not complete: unreachable host, rejected host key, failed
 * authentication, timeout or protocol error. The message is one line, safe to show to the agent.
 */
public class UpstreamException extends Exception {

    public UpstreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
