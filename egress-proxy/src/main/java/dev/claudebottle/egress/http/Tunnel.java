package dev.claudebottle.egress.http;

import dev.claudebottle.egress.policy.Admission;

/**
 * A CONNECT tunnel that was admitted, seen from inside: every request in it must name the
 * tunnel's host and port, and goes upstream to the address the CONNECT was checked against.
 * Counts bytes for the tunnel's audit line.
 */
public final class Tunnel {

    private final Admission admission;
    private final boolean tls;
    private final long startNanos;
    long bytesUp;
    long bytesDown;
    /**
     * The last Host header value found to name the tunnel's host and port. Clients repeat the
     * same value on every request, and an identical string needs no second parse.
     */
    String acceptedHostHeader;

    public Tunnel(Admission admission, boolean tls, long startNanos) {
        this.admission = admission;
        this.tls = tls;
        this.startNanos = startNanos;
    }

    public Admission admission() {
        return admission;
    }

    /** True when the client speaks TLS inside the tunnel (bumped), false for plain HTTP. */
    public boolean tls() {
        return tls;
    }

    long startNanos() {
        return startNanos;
    }
}
