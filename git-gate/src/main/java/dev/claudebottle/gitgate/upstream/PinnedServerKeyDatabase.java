package dev.claudebottle.gitgate.upstream;

import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;

/**
 * Server key check that accepts exactly one pinned key and never learns a new one.
 *
 * <p>JGit's default database would read {@code ~/.ssh/known_hosts} and, depending on
 * {@code StrictHostKeyChecking}, add unknown keys; this one has no file and no "ask" path.
 */
final class PinnedServerKeyDatabase implements ServerKeyDatabase {

    private final HostKeyPin pin;
    private final AtomicReference<String> rejectedFingerprint = new AtomicReference<>();

    PinnedServerKeyDatabase(HostKeyPin pin) {
        this.pin = pin;
    }

    @Override
    public List<PublicKey> lookup(String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
        return List.of(pin.key());
    }

    @Override
    public boolean accept(String connectAddress, InetSocketAddress remoteAddress, PublicKey serverKey,
            Configuration config, CredentialsProvider provider) {
        if (pin.matches(serverKey)) {
            return true;
        }
        rejectedFingerprint.set(KeyUtils.getFingerPrint(serverKey));
        return false;
    }

    /** Returns the fingerprint of the last key this database rejected, or null. */
    String rejectedFingerprint() {
        return rejectedFingerprint.get();
    }
}
