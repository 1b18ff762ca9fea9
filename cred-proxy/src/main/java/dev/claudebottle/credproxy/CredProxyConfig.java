package dev.claudebottle.credproxy;

import dev.claudebottle.credproxy.route.RouteTable;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Everything a {@link CredProxy} needs except the tokens, immutable. Build one with
 * {@link #builder()}.
 */
public final class CredProxyConfig {

    /** The port cred-proxy listens on inside the bundle. */
    public static final int DEFAULT_PORT = 9099;

    private final InetSocketAddress listen;
    private final RouteTable routes;
    private final InetSocketAddress egressProxy;
    private final List<X509Certificate> trustedCertificates;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final Duration pooledIdleTimeout;
    private final int maxIdleConnectionsPerUpstream;
    private final Consumer<String> requestLog;
    private final ByteBufAllocator allocator;

    private CredProxyConfig(Builder builder) {
        this.listen = Objects.requireNonNull(builder.listen, "listen");
        this.routes = Objects.requireNonNull(builder.routes, "routes");
        this.egressProxy = builder.egressProxy;
        this.trustedCertificates = List.copyOf(builder.trustedCertificates);
        this.connectTimeout = positive(builder.connectTimeout, "connectTimeout");
        this.idleTimeout = positive(builder.idleTimeout, "idleTimeout");
        this.pooledIdleTimeout = positive(builder.pooledIdleTimeout, "pooledIdleTimeout");
        if (builder.maxIdleConnectionsPerUpstream < 0) {
            throw new CredProxyException("maxIdleConnectionsPerUpstream must be 0 or more, got "
                    + builder.maxIdleConnectionsPerUpstream);
        }
        this.maxIdleConnectionsPerUpstream = builder.maxIdleConnectionsPerUpstream;
        this.requestLog = builder.requestLog;
        this.allocator = Objects.requireNonNull(builder.allocator, "allocator");
    }

    private static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new CredProxyException(name + " must be positive, got " + value);
        }
        return value;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the address to listen on; port 0 picks a free port. */
    public InetSocketAddress listen() {
        return listen;
    }

    /** Returns the routes at start; {@link CredProxy#reload} replaces them later. */
    public RouteTable routes() {
        return routes;
    }

    /**
     * Returns egress-proxy's address, reached with HTTP CONNECT for every upstream; null sends
     * upstream connections directly, which only tests and benchmarks outside a bottle should do.
     */
    public InetSocketAddress egressProxy() {
        return egressProxy;
    }

    /**
     * Returns the certificates trusted for upstream TLS: the bottle's CA, since egress-proxy
     * re-signs every upstream. Empty means the JDK's default trust store.
     */
    public List<X509Certificate> trustedCertificates() {
        return trustedCertificates;
    }

    /** Returns the limit for each of TCP connect, CONNECT response and TLS handshake. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns how long a request may wait without a byte from the upstream, or from the agent
     * while its request body is incomplete, before cred-proxy gives up (504 when no response
     * has started). Long enough for quiet event streams.
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Returns how long an unused keep-alive connection stays in the pool. */
    public Duration pooledIdleTimeout() {
        return pooledIdleTimeout;
    }

    /** Returns how many idle keep-alive connections each event loop keeps per upstream. */
    public int maxIdleConnectionsPerUpstream() {
        return maxIdleConnectionsPerUpstream;
    }

    /** Returns the receiver of the JSON request log lines, or null to log them through SLF4J. */
    public Consumer<String> requestLog() {
        return requestLog;
    }

    /** Returns the buffer allocator for both legs; netty's default unless a caller wants to measure or share one. */
    public ByteBufAllocator allocator() {
        return allocator;
    }

    /** Builds a {@link CredProxyConfig}. */
    public static final class Builder {
        private InetSocketAddress listen = new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT);
        private RouteTable routes = RouteTable.empty();
        private InetSocketAddress egressProxy;
        private final List<X509Certificate> trustedCertificates = new ArrayList<>();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration pooledIdleTimeout = Duration.ofSeconds(30);
        private int maxIdleConnectionsPerUpstream = 16;
        private Consumer<String> requestLog;
        private ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;

        private Builder() {
        }

        public Builder listen(InetSocketAddress value) {
            this.listen = value;
            return this;
        }

        public Builder routes(RouteTable value) {
            this.routes = value;
            return this;
        }

        public Builder egressProxy(InetSocketAddress value) {
            this.egressProxy = value;
            return this;
        }

        public Builder trust(X509Certificate certificate) {
            trustedCertificates.add(Objects.requireNonNull(certificate, "certificate"));
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            this.idleTimeout = value;
            return this;
        }

        public Builder pooledIdleTimeout(Duration value) {
            this.pooledIdleTimeout = value;
            return this;
        }

        public Builder maxIdleConnectionsPerUpstream(int value) {
            this.maxIdleConnectionsPerUpstream = value;
            return this;
        }

        public Builder requestLog(Consumer<String> value) {
            this.requestLog = value;
            return this;
        }

        public Builder allocator(ByteBufAllocator value) {
            this.allocator = value;
            return this;
        }

        public CredProxyConfig build() {
            return new CredProxyConfig(this);
        }
    }
}
