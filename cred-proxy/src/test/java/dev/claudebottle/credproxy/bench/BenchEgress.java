package dev.claudebottle.credproxy.bench;

import dev.claudebottle.credproxy.testing.TestConnectProxy;
import dev.claudebottle.credproxy.testing.TestPki;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/** The CONNECT proxy between cred-proxy and the origin in the benchmark. */
interface BenchEgress extends AutoCloseable {

    InetSocketAddress address();

    /** Returns the CAs cred-proxy must trust for the origin as seen through this proxy. */
    List<X509Certificate> trustedCertificates();

    String name();

    @Override
    void close();

    static BenchEgress start(EventLoopGroup group, TestPki originPki, int originPort) {
        TestConnectProxy tunnel = new TestConnectProxy(group, Map.of("origin.test", InetAddress.getLoopbackAddress()));
        return new BenchEgress() {
            @Override
            public InetSocketAddress address() {
                return tunnel.address();
            }

            @Override
            public List<X509Certificate> trustedCertificates() {
                return List.of(originPki.caCertificate());
            }

            @Override
            public String name() {
                return "test tunnel";
            }

            @Override
            public void close() {
                tunnel.close();
            }
        };
    }
}
