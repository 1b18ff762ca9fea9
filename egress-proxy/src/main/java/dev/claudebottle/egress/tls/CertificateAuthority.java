package dev.claudebottle.egress.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import dev.claudebottle.egress.EgressProxyException;
import dev.claudebottle.egress.policy.IpLiterals;

/**
 * The proxy's certificate authority: generated at start (ECDSA P-256, key kept in memory only)
 * or loaded from PEM files, and used to mint one short-lived ECDSA P-256 leaf per host. Minting
 * is CPU work; callers run it off the event loop (see {@link LeafCertificates}).
 */
public final class CertificateAuthority {

    private static final Duration CA_VALIDITY = Duration.ofDays(365);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(30);
    private static final Duration BACKDATE = Duration.ofDays(1);

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final SecureRandom random = new SecureRandom();

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** Generates a fresh CA whose name carries {@code label} (for example the bottle name). */
    public static CertificateAuthority generate(String label) {
        try {
            KeyPair pair = newEcKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "claude-bottle")
                    .addRDN(BCStyle.CN, "claude-bottle egress CA " + label)
                    .build();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    randomSerial(new SecureRandom()), Date.from(now.minus(BACKDATE)),
                    Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = sign(builder, pair.getPrivate());
            return new CertificateAuthority(cert, pair.getPrivate());
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new EgressProxyException("cannot generate the proxy CA: " + e.getMessage(), e);
        }
    }

    /** Loads a CA certificate and its private key (PKCS#8 or SEC1/PKCS#1 PEM). */
    public static CertificateAuthority load(Path certFile, Path keyFile) {
        X509Certificate cert = PemFiles.readCertificates(certFile).stream().findFirst()
                .orElseThrow(() -> new EgressProxyException("ca.cert_file " + certFile
                        + " contains no certificate; give a PEM file with the CA certificate"));
        PrivateKey key = readPrivateKey(keyFile);
        if (cert.getBasicConstraints() < 0) {
            throw new EgressProxyException("ca.cert_file " + certFile + " is not a CA certificate "
                    + "(basicConstraints CA:false); give the certificate of a CA");
        }
        return new CertificateAuthority(cert, key);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Returns the CA certificate in PEM form. */
    public String certificatePem() {
        return PemFiles.toPem(certificate);
    }

    /** Writes the CA certificate (never the key) to {@code file} atomically. */
    public void writeCertificate(Path file) {
        Path tmp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, ".ca-", ".pem.tmp");
            Files.writeString(tmp, certificatePem(), StandardCharsets.US_ASCII);
            // A certificate is public, and clients in other containers must be able to read it.
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new EgressProxyException("cannot write the CA certificate to " + file + ": "
                    + e.getMessage() + "; check ca.cert_out and the directory's permissions", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one reported
                }
            }
        }
    }

    /** A minted leaf: its key and certificate. */
    public record Leaf(PrivateKey key, X509Certificate certificate) {
    }

    /**
     * Mints a leaf certificate for {@code host} (a normalised name or IP literal), signed by this
     * CA and verified against it before it is returned.
     */
    public Leaf mint(String host) {
        try {
            KeyPair pair = newEcKeyPair();
            Instant now = Instant.now();
            Instant notAfter = now.plus(LEAF_VALIDITY);
            if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
                notAfter = certificate.getNotAfter().toInstant();
            }
            Optional<java.net.InetAddress> ip = IpLiterals.parse(host);
            GeneralName san = ip.isPresent()
                    ? new GeneralName(GeneralName.iPAddress, IpLiterals.canonical(ip.get()))
                    : new GeneralName(GeneralName.dNSName, host);
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, host).build();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            PublicKey caKey = certificate.getPublicKey();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate,
                    randomSerial(random), Date.from(now.minus(BACKDATE)), Date.from(notAfter),
                    subject, pair.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(caKey));
            X509Certificate leaf = sign(builder, privateKey);
            leaf.verify(caKey);
            return new Leaf(pair.getPrivate(), leaf);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new EgressProxyException("cannot mint a certificate for " + host + ": "
                    + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(key);
        X509CertificateHolder holder = builder.build(signer);
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static KeyPair newEcKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** Returns a random positive serial of 128 bits (RFC 5280 allows up to 20 octets). */
    private static BigInteger randomSerial(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[0] &= 0x7f;
        bytes[0] |= 0x40;
        return new BigInteger(1, bytes);
    }

    private static PrivateKey readPrivateKey(Path keyFile) {
        try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new EgressProxyException("ca.key_file " + keyFile + " contains no unencrypted private "
                    + "key; give a PEM file with a PKCS#8 or EC/RSA private key");
        } catch (IOException e) {
            throw new EgressProxyException("cannot read ca.key_file " + keyFile + ": "
                    + e.getMessage(), e);
        }
    }

    static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new AssertionError("writing PEM to a StringWriter cannot fail", e);
        }
        return text.toString();
    }
}
