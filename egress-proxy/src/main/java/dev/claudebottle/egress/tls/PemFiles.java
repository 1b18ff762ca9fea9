package dev.claudebottle.egress.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import dev.claudebottle.egress.EgressProxyException;

/** Reads and writes PEM certificates. */
public final class PemFiles {

    private PemFiles() {
    }

    /** Reads every certificate in a PEM (or DER) file. */
    public static List<X509Certificate> readCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : factory.generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (IOException | CertificateException e) {
            throw new EgressProxyException("cannot read certificates from " + file + ": "
                    + e.getMessage() + "; give a PEM file with one or more certificates", e);
        }
    }

    /** Returns {@code certificate} as PEM text. */
    public static String toPem(X509Certificate certificate) {
        return CertificateAuthority.pem(certificate);
    }
}
