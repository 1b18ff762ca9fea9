package dev.claudebottle.egress.http;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import dev.claudebottle.egress.policy.Admission;
import dev.claudebottle.egress.policy.Target;

/** One request and its response. */
final class Exchange {
    final String method;
    final String uri;
    final long startNanos;
    Target target;
    String originForm;
    /** The decoded request head, until it is forwarded (rewritten in place) upstream. */
    HttpRequest request;
    HttpVersion clientVersion;
    Admission admission;
    BodyGate body;
    boolean clientKeepAlive = true;
    boolean upstreamKeepAlive = true;
    boolean webSocket;
    boolean requestComplete;
    boolean responseStarted;
    boolean responseComplete;
    boolean audited;
    boolean pathRedacted;
    boolean hostRedacted;
    String warnedRule;
    int status;
    long bytesUp;
    long bytesDown;

    Exchange(String method, String uri, long startNanos) {
        this.method = method;
        this.uri = uri;
        this.startNanos = startNanos;
    }
}
