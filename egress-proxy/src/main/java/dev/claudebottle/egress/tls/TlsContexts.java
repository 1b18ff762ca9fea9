package dev.claudebottle.egress.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import dev.claudebottle.egress.EgressProxyException;

/**
 * Builds the TLS contexts of both legs. The client side gets one server context per minted leaf.
 * The upstream side gets one client context, which verifies the upstream's certificate chain and
 * host name against the system trust store plus the configured extra CAs.
 * Uses OpenSSL (BoringSSL from netty-tcnative) when it loads, else the JDK engine.
 */
public final class TlsContexts {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslProvider provider;
    private final SslContext upstream;

    private TlsContexts(SslProvider provider, SslContext upstream) {
        this.provider = provider;
        this.upstream = upstream;
    }

    /** Creates the contexts; {@code extraCaFiles} are trusted for upstream beside the system store. */
    public static TlsContexts create(List<Path> extraCaFiles) {
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        try {
            SslContext upstream = SslContextBuilder.forClient()
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .trustManager(trustManager(extraCaFiles))
                    .endpointIdentificationAlgorithm("HTTPS")
                    .build();
            return new TlsContexts(provider, upstream);
        } catch (SSLException e) {
            throw new EgressProxyException("cannot set up upstream TLS: " + e.getMessage(), e);
        }
    }

    public SslProvider provider() {
        return provider;
    }

    /** The client context for upstream connections (verifies chain and host name). */
    public SslContext upstream() {
        return upstream;
    }

    /** Builds a server context presenting {@code leaf}, chained to {@code ca}. */
    public SslContext serverContext(CertificateAuthority.Leaf leaf, X509Certificate ca) {
        try {
            return SslContextBuilder.forServer(leaf.key(), leaf.certificate(), ca)
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException e) {
            throw new EgressProxyException("cannot build a TLS context for a minted certificate: "
                    + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustManager(List<Path> extraCaFiles) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (X509Certificate cert : systemTrustedCertificates()) {
                store.setCertificateEntry("system-" + index++, cert);
            }
            for (Path file : extraCaFiles) {
                for (X509Certificate cert : PemFiles.readCertificates(file)) {
                    store.setCertificateEntry("extra-" + index++, cert);
                }
            }
            TrustManagerFactory factory =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new EgressProxyException("cannot build the upstream trust store: "
                    + e.getMessage(), e);
        }
    }

    private static X509Certificate[] systemTrustedCertificates() throws GeneralSecurityException {
        TrustManagerFactory factory =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509.getAcceptedIssuers();
            }
        }
        return new X509Certificate[0];
    }
}
