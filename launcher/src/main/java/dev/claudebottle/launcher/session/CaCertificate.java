package dev.claudebottle.launcher.session;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/** Reads the bottle CA certificate that the bundle publishes. */
final class CaCertificate {

    private CaCertificate() {
    }

    /** Parses a PEM certificate; returns null when {@code pem} holds none. */
    static X509Certificate parse(byte[] pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem));
        } catch (CertificateException e) {
            return null;
        }
    }

    /** Returns the SHA-256 fingerprint of the certificate's DER form, as colon-separated hex. */
    static String fingerprint(byte[] pem) {
        X509Certificate certificate = parse(pem);
        if (certificate == null) {
            return "(not a certificate)";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
            throw new AssertionError("SHA-256 and DER encoding are always available", e);
        }
    }
}
