package dev.claudebottle.gitgate.upstream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Loads SSH private keys (OpenSSH or PEM format) from bytes. */
public final class IdentityKeys {

    private IdentityKeys() {
    }

    /**
     * Parses the key pairs in {@code keyBytes}.
     *
     * @param source names where the bytes came from, for error messages only
     * @throws IllegalArgumentException when the bytes hold no usable key or the key is
     *     protected by a passphrase (the gate has no way to ask for one)
     */
    public static List<KeyPair> load(String source, byte[] keyBytes) {
        List<KeyPair> keys = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(keyBytes)) {
            Iterable<KeyPair> parsed = SecurityUtils.loadKeyPairIdentities(
                    null, NamedResource.ofName(source), in, FilePasswordProvider.EMPTY);
            if (parsed != null) {
                parsed.forEach(keys::add);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // The exception text of a key parser may quote key material, so only its type is kept.
            throw new IllegalArgumentException("SSH identity from " + source + " cannot be read ("
                    + e.getClass().getSimpleName() + "); provide an unencrypted OpenSSH or PEM private key");
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("SSH identity from " + source
                    + " holds no private key; provide an unencrypted OpenSSH or PEM private key");
        }
        return List.copyOf(keys);
    }
}
