package dev.claudebottle.egress.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import dev.claudebottle.egress.EgressConfig;
import dev.claudebottle.egress.EgressProxy;
import dev.claudebottle.egress.audit.AuditRecord;
import dev.claudebottle.egress.config.AllowRule;
import dev.claudebottle.egress.tls.CertificateAuthority;

/**
 * A proxy under test with two origins on 127.0.0.1: {@code origin.test} over TLS and
 * {@code plain.test} over plain HTTP, both pinned with {@code resolve} and allowed with
 * {@code allow_private}. The origin's certificate comes from a test CA that the proxy trusts
 * through {@code upstream_ca}. Audit records are collected in memory.
 */
public final class ProxyFixture implements AutoCloseable {

    public static final String TLS_HOST = "origin.test";
    public static final String PLAIN_HOST = "plain.test";
    public static final String OTHER_TLS_HOST = "other.test";

    private final TestOrigin tlsOrigin;
    private final TestOrigin plainOrigin;
    private final EgressProxy proxy;
    private final BlockingQueue<AuditRecord> audit = new LinkedBlockingQueue<>();
    private final Path dir;

    public ProxyFixture(Path dir, UnaryOperator<EgressConfig.Builder> customise) {
        this.dir = dir;
        CertificateAuthority originCa = CertificateAuthority.generate("test-origin");
        Path originCaFile = dir.resolve("origin-ca.pem");
        originCa.writeCertificate(originCaFile);
        CertificateAuthority.Leaf leaf = originCa.mint(TLS_HOST);
        CertificateAuthority.Leaf otherLeaf = originCa.mint(OTHER_TLS_HOST);
        try {
            SslContext originTls = SslContextBuilder.forServer(leaf.key(), leaf.certificate()).build();
            tlsOrigin = new TestOrigin(originTls);
            otherOrigin = new TestOrigin(SslContextBuilder.forServer(otherLeaf.key(), otherLeaf.certificate()).build());
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
        plainOrigin = new TestOrigin(null);

        InetAddress loopback = InetAddress.getLoopbackAddress();
        EgressConfig.Builder builder = EgressConfig.builder()
                .listen(new InetSocketAddress(loopback, 0))
                .allow(new AllowRule(TLS_HOST, List.of(tlsOrigin.port()), true))
                .allow(new AllowRule(OTHER_TLS_HOST, List.of(otherOrigin.port()), true))
                .allow(new AllowRule(PLAIN_HOST, List.of(plainOrigin.port()), true))
                .resolve(TLS_HOST, List.of(loopback))
                .resolve(OTHER_TLS_HOST, List.of(loopback))
                .resolve(PLAIN_HOST, List.of(loopback))
                .upstreamCa(originCaFile)
                .caCertOut(dir.resolve("proxy-ca.pem"))
                .auditLog(dir.resolve("audit.jsonl"))
                .auditListener(audit::add);
        proxy = EgressProxy.start(customise.apply(builder).build());
    }

    private final TestOrigin otherOrigin;

    public EgressProxy proxy() {
        return proxy;
    }

    public TestOrigin tlsOrigin() {
        return tlsOrigin;
    }

    public TestOrigin otherOrigin() {
        return otherOrigin;
    }

    public TestOrigin plainOrigin() {
        return plainOrigin;
    }

    public int proxyPort() {
        return proxy.address().getPort();
    }

    public Path dir() {
        return dir;
    }

    /** Returns {@code https://origin.test:PORT}. */
    public String tlsBase() {
        return "https://" + TLS_HOST + ":" + tlsOrigin.port();
    }

    /** Returns {@code http://plain.test:PORT}. */
    public String plainBase() {
        return "http://" + PLAIN_HOST + ":" + plainOrigin.port();
    }

    /** A JDK client that uses the proxy and trusts only the proxy's CA. */
    public HttpClient client() {
        return HttpClient.newBuilder()
                .proxy(ProxySelector.of(proxy.address()))
                .sslContext(trustingProxyCa())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** An SSL context that trusts only the proxy's CA. */
    public SSLContext trustingProxyCa() {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("proxy-ca", proxy.caCertificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the next audit record that matches {@code filter}. */
    public AuditRecord awaitAudit(Predicate<AuditRecord> filter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            AuditRecord r = audit.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (r != null && filter.test(r)) {
                return r;
            }
        }
        throw new AssertionError("no matching audit record within 10 s");
    }

    /** Waits for the next audit record with rule {@code rule}. */
    public AuditRecord awaitRule(String rule) throws InterruptedException {
        return awaitAudit(r -> rule.equals(r.rule()));
    }

    public String auditFile() throws IOException {
        return Files.readString(dir.resolve("audit.jsonl"));
    }

    @Override
    public void close() {
        proxy.close();
        tlsOrigin.close();
        otherOrigin.close();
        plainOrigin.close();
    }
}
