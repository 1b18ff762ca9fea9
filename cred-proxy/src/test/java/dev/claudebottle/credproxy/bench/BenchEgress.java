package dev.claudebottle.credproxy.bench;

import dev.claudebottle.credproxy.testing.TestConnectProxy;
import dev.claudebottle.credproxy.testing.TestPki;
import dev.claudebottle.egress.EgressConfig;
import dev.claudebottle.egress.EgressProxy;
import dev.claudebottle.egress.config.AllowRule;
import dev.claudebottle.egress.config.CredentialBinding;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
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

    /** Starts egress-proxy with the origin allowed and {@code token} bound to it. */
    static BenchEgress egressProxy(EventLoopGroup group, TestPki originPki, int originPort, String token) {
        EgressProxy egress = EgressProxy.start(EgressConfig.builder()
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .allow(new AllowRule("origin.test", List.of(originPort), true))
                .resolve("origin.test", List.of(InetAddress.getLoopbackAddress()))
                .upstreamCa(writePem(originPki.caCertificate()))
                .credential(CredentialBinding.ofValue("BENCH_TOKEN", token.getBytes(StandardCharsets.UTF_8),
                        "origin.test"))
                .build(), group);
        return new BenchEgress() {
            @Override
            public InetSocketAddress address() {
                return egress.address();
            }

            @Override
            public List<X509Certificate> trustedCertificates() {
                return List.of(egress.caCertificate());
            }

            @Override
            public String name() {
                return "egress-proxy";
            }

            @Override
            public void close() {
                egress.close();
            }
        };
    }

    /** Starts a plain CONNECT tunnel without TLS bump or DLP, to separate cred-proxy's own cost. */
    static BenchEgress tunnel(EventLoopGroup group, TestPki originPki) {
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
                return "plain tunnel";
            }

            @Override
            public void close() {
                tunnel.close();
            }
        };
    }

    private static Path writePem(X509Certificate certificate) {
        try {
            Path file = Files.createTempFile("bench-origin-ca", ".pem");
            file.toFile().deleteOnExit();
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
        } catch (IOException e) {
            throw new UncheckedIOException("writing the origin CA for egress-proxy failed", e);
        } catch (CertificateEncodingException e) {
            throw new AssertionError("a freshly minted certificate encodes", e);
        }
    }
}
