package dev.claudebottle.egress.http;

/** Names of the handlers in a client pipeline, in pipeline order. */
public final class Pipelines {

    public static final String CONNECTION_LIMIT = "connection-limit";
    public static final String READ_ACTIVITY = "read-activity";
    public static final String IDLE = "idle";
    public static final String SNIFF = "tunnel-sniff";
    public static final String SNI = "sni";
    public static final String TLS = "tls";
    public static final String HTTP_CODEC = "http-codec";
    public static final String WEBSOCKET_DECODER = "websocket-decoder";
    public static final String PROXY = "proxy";

    private Pipelines() {
    }
}
