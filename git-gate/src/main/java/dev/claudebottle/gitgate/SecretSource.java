package dev.claudebottle.gitgate;

import java.util.Optional;

/**
 * Supplier of SSH private keys for the gate's upstream connections, keyed by entry name.
 *
 * <p>In the bundle the keys arrive over a secret channel (a tmpfs filled from a {@code docker exec}
 * stdin pipe), so the gate queries this source first and reads the entry's {@code IdentityFile} only
 * when the source has nothing for that entry. Implementations return a fresh array on each call;
 * the gate reads it once at start and does not keep the array.
 */
@FunctionalInterface
public interface SecretSource {

    /**
     * Returns the private key (OpenSSH or PEM text, as bytes) for the entry, or empty when this
     * source has no key for it.
     */
    Optional<byte[]> identityKey(String entryName);

    /** Returns a source that contains no keys, so every entry falls back to its IdentityFile. */
    static SecretSource none() {
        return entryName -> Optional.empty();
    }
}
