package dev.claudebottle.gitgate.upstream;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Map;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * The one host key an upstream must present, parsed from an OpenSSH public key line.
 *
 * <p>Accepts {@code type base64 [comment]} as in {@code *.pub} files and {@code host type base64}
 * as printed by {@code ssh-keyscan}; the host field is ignored because the pin belongs to one
 * entry, whatever address the connection ends up using.
 */
public final class HostKeyPin {

    private final PublicKey key;
    private final String fingerprint;

    private HostKeyPin(PublicKey key) {
        this.key = key;
        this.fingerprint = KeyUtils.getFingerPrint(key);
    }

    /**
     * Parses one key line.
     *
     * @throws IllegalArgumentException when the line contains no supported public key
     */
    public static HostKeyPin parse(String line) {
        String[] tokens = line.trim().split("\\s+");
        for (int i = 0; i + 1 < tokens.length; i++) {
            if (KeyUtils.getPublicKeyEntryDecoder(tokens[i]) == null) {
                continue;
            }
            try {
                PublicKeyEntry entry = PublicKeyEntry.parsePublicKeyEntry(tokens[i] + " " + tokens[i + 1]);
                return new HostKeyPin(entry.resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING));
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalArgumentException("KnownHostKey contains a '" + tokens[i]
                        + "' key that cannot be decoded (" + e.getMessage() + "); copy the line again from ssh-keyscan", e);
            }
        }
        throw new IllegalArgumentException("KnownHostKey names no supported key type"
                + " (expected e.g. 'ssh-ed25519 AAAA...' or 'ecdsa-sha2-nistp256 AAAA...')");
    }

    /** Returns true when the server presented exactly the pinned key. */
    public boolean matches(PublicKey offered) {
        return KeyUtils.compareKeys(key, offered);
    }

    public PublicKey key() {
        return key;
    }

    /** Returns the SHA-256 fingerprint in OpenSSH form ({@code SHA256:...}). */
    public String fingerprint() {
        return fingerprint;
    }
}
