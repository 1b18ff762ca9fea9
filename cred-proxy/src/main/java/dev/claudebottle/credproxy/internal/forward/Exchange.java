package dev.claudebottle.credproxy.internal.forward;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;

/**
 * One request and its response on an agent connection. Touched only on that connection's
 * event loop.
 */
final class Exchange {

    final HttpRequest request;
    final long startNanos;
    final boolean clientKeepAlive;
    RequestAdmission.Admitted admitted;
    SecretRedactor redactor;
    Channel upstream;
    String route = "-";
    long bytesIn;
    long bytesOut;
    int status;
    boolean requestComplete;
    boolean responseHeadSent;
    boolean upstreamResponseEnded;
    boolean upstreamKeepAlive;
    boolean skippingInterimResponse;
    boolean logged;
    boolean retried;
    boolean closeAfterResponse;

    Exchange(HttpRequest request, long startNanos, boolean clientKeepAlive) {
        this.request = request;
        this.startNanos = startNanos;
        this.clientKeepAlive = clientKeepAlive;
    }

    String upstreamName() {
        return admitted == null ? null
                : admitted.match().route().upstreamHost() + ":" + admitted.match().route().upstreamPort();
    }
}
