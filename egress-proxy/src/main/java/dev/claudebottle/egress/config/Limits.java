package dev.claudebottle.egress.config;

import java.time.Duration;

/**
 * Resource limits of the listener.
 *
 * @param maxConnections client connections open at once; the next one gets 503 and is closed
 * @param headerTimeout time a client has to send a complete request head, on a new connection
 *     and between requests on a kept-alive one
 * @param idleTimeout time without reads or writes after which a connection (either leg) is closed
 * @param connectTimeout time allowed for the TCP connect to an upstream
 * @param maxHeaderSize bytes of request headers accepted; larger heads get 431
 * @param maxInitialLineLength bytes of request line accepted; longer lines get 414
 */
public record Limits(int maxConnections, Duration headerTimeout, Duration idleTimeout,
                     Duration connectTimeout, int maxHeaderSize, int maxInitialLineLength) {

    public static final Limits DEFAULTS = new Limits(4096, Duration.ofSeconds(10),
            Duration.ofSeconds(300), Duration.ofSeconds(10), 64 * 1024, 16 * 1024);
}
