package dev.claudebottle.egress.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.List;

import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

    private final CertificateAuthority ca = CertificateAuthority.generate("test");

    @Test
    void caIsAnEcdsaCaCertificate() {
        X509Certificate cert = ca.certificate();

        assertThat(cert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
    }

    @Test
    void leafHasSanServerAuthAndShortValidity() throws Exception {
        X509Certificate leaf = ca.mint("api.example.com").certificate();

        leaf.verify(ca.certificate().getPublicKey());
        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, "api.example.com"));
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getSerialNumber().bitLength()).isBetween(120, 128);
        assertThat(leaf.getNotAfter().getTime() - leaf.getNotBefore().getTime())
                .isLessThanOrEqualTo(31L * 24 * 3600 * 1000);
    }

    @Test
    void ipLiteralLeafUsesIpAddressSan() throws Exception {
        X509Certificate leaf = ca.mint("10.0.0.5").certificate();

        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(7, "10.0.0.5"));
    }

    @Test
    void serialsDiffer() {
        assertThat(ca.mint("a.test").certificate().getSerialNumber())
                .isNotEqualTo(ca.mint("a.test").certificate().getSerialNumber());
    }
}
