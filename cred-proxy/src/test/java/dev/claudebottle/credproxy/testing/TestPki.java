package dev.claudebottle.credproxy.testing;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway test CA and a server certificate it signs, both minted in memory. */
public final class TestPki {

    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    public TestPki(String caName) {
        this.caKeys = newKeyPair();
        this.caCertificate = sign(new X500Name("CN=" + caName), caKeys, caKeys, new X500Name("CN=" + caName), true);
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** Returns a TLS server context whose certificate names {@code hosts} (DNS names or IP literals). */
    public SslContext serverContext(String... hosts) {
        KeyPair leafKeys = newKeyPair();
        X509Certificate leaf = sign(new X500Name("CN=" + hosts[0]), leafKeys, caKeys,
                new X500Name(caCertificate.getSubjectX500Principal().getName()), false, hosts);
        try {
            return SslContextBuilder.forServer(leafKeys.getPrivate(), leaf, caCertificate).build();
        } catch (SSLException e) {
            throw new IllegalStateException("building the test server TLS context failed", e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError("P-256 is part of every JDK", e);
        }
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, KeyPair issuerKeys, X500Name issuer,
            boolean ca, String... hosts) {
        Instant now = Instant.now();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(127, new SecureRandom()).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(2))),
                    subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                GeneralName[] names = new GeneralName[hosts.length];
                for (int i = 0; i < hosts.length; i++) {
                    boolean ip = Character.isDigit(hosts[i].charAt(0)) || hosts[i].contains(":");
                    names[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, hosts[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            X509CertificateHolder holder = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate()));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("minting a test certificate failed", e);
        }
    }
}
