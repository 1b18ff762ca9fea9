package dev.claudebottle.credproxy.internal.forward;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.net.ConnectException;
import javax.net.ssl.SSLException;

/**
 * The reason an upstream exchange failed, as the status and text the agent receives. The text
 * names the upstream and the fix, never a header or token.
 *
 * @param status  502 for errors, 504 for timeouts
 * @param message plain text for the agent
 * @param code    a short stable word for the request log
 */
record UpstreamFailure(HttpResponseStatus status, String message, String code) {

    static UpstreamFailure idleTimeout(String upstream, long seconds) {
        return new UpstreamFailure(HttpResponseStatus.GATEWAY_TIMEOUT, "the upstream " + upstream
                + " sent nothing for " + seconds + " s; try again later", "upstream_idle_timeout");
    }

    static UpstreamFailure closed(String upstream) {
        return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "the upstream " + upstream
                + " closed the connection before the response was complete", "upstream_closed");
    }

    /** Classifies a failure to open the tunnel or TLS session toward {@code upstream}. */
    static UpstreamFailure ofConnect(Throwable cause, String upstream, boolean viaEgress) {
        String leg = viaEgress ? "egress-proxy" : upstream;
        if (cause instanceof HttpProxyHandler.HttpProxyConnectException refused) {
            String status = refused.getMessage().replaceFirst("(?s).*status: ", "");
            return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "egress-proxy rejected the connection to "
                    + upstream + " (" + status + "); the host must be on the bottle's egress allowlist,"
                    + " which the supervise tool egress-block can request", "egress_rejected");
        }
        if (cause instanceof ConnectTimeoutException || cause instanceof SslHandshakeTimeoutException
                || cause instanceof ProxyConnectException && String.valueOf(cause.getMessage()).contains("timeout")) {
            return new UpstreamFailure(HttpResponseStatus.GATEWAY_TIMEOUT, "connecting to " + upstream + " through "
                    + leg + " timed out; try again later", "connect_timeout");
        }
        if (cause instanceof SSLException) {
            return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "the TLS handshake with " + upstream
                    + " failed (" + cause.getClass().getSimpleName() + "); cred-proxy trusts only the bottle's CA,"
                    + " so the connection must pass through egress-proxy", "tls_failed");
        }
        if (cause instanceof ConnectException) {
            return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "could not connect to " + leg
                    + " for " + upstream + " (connection refused)", "connect_failed");
        }
        return new UpstreamFailure(HttpResponseStatus.BAD_GATEWAY, "connecting to " + upstream + " through "
                + leg + " failed (" + cause.getClass().getSimpleName() + ")", "connect_failed");
    }
}
