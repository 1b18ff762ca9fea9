package dev.claudebottle.gitgate.upstream;

import java.io.File;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSession;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.util.FS;

/**
 * SSH session factory for one upstream operation: the entry's keys only, the pinned host key
 * only, no {@code ~/.ssh} files, no agent, no proxy, and a way to abort from another thread.
 *
 * <p>One instance serves one fetch or push. JGit builds a new MINA client per session anyway,
 * so a factory per operation costs nothing and lets {@link #cancel()} reach a session that is
 * still connecting, which {@code Transport.close()} cannot.
 */
final class GateSshSessionFactory extends SshdSessionFactory {

    private final List<KeyPair> identities;
    private final PinnedServerKeyDatabase serverKeys;
    private final SshConfigStore hostConfig;
    private volatile boolean cancelled;
    private volatile SshdSession session;

    GateSshSessionFactory(Path emptyHome, List<KeyPair> identities, PinnedServerKeyDatabase serverKeys,
            SshConfigStore hostConfig) {
        super(null, null);
        this.identities = identities;
        this.serverKeys = serverKeys;
        this.hostConfig = hostConfig;
        setHomeDirectory(emptyHome.toFile());
        setSshDirectory(emptyHome.resolve(".ssh").toFile());
    }

    @Override
    public SshdSession getSession(URIish uri, CredentialsProvider credentialsProvider, FS fs, int tms)
            throws TransportException {
        if (cancelled) {
            throw new TransportException(uri, "upstream operation cancelled");
        }
        SshdSession opened = super.getSession(uri, credentialsProvider, fs, tms);
        session = opened;
        if (cancelled) {
            opened.disconnect();
            throw new TransportException(uri, "upstream operation cancelled");
        }
        return opened;
    }

    /** Stops the operation: refuses new sessions and disconnects the open one. */
    void cancel() {
        cancelled = true;
        SshdSession open = session;
        if (open != null) {
            open.disconnect();
        }
    }

    @Override
    protected SshConfigStore createSshConfigStore(File homeDir, File configFile, String localUserName) {
        return hostConfig;
    }

    @Override
    protected ServerKeyDatabase getServerKeyDatabase(File homeDir, File sshDir) {
        return serverKeys;
    }

    @Override
    protected Iterable<KeyPair> getDefaultKeys(File sshDir) {
        return identities;
    }

    @Override
    protected List<Path> getDefaultIdentities(File sshDir) {
        return List.of();
    }

    @Override
    protected List<Path> getDefaultKnownHostsFiles(File sshDir) {
        return List.of();
    }

    @Override
    protected org.eclipse.jgit.transport.sshd.agent.ConnectorFactory getConnectorFactory() {
        return null;
    }

    @Override
    protected String getDefaultPreferredAuthentications() {
        return "publickey";
    }
}
