package dev.claudebottle.gitgate.upstream;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

import dev.claudebottle.gitgate.config.MirrorEntry;

/**
 * The SSH remote behind one mirror: fetches into the mirror and pushes from it, with the
 * entry's identity, its pinned host key and its {@code ExtraHosts}.
 *
 * <p>Each call runs on a worker thread so that the caller gets a result when
 * {@code upstreamTimeout} expires even if the connection is stuck before the SSH handshake
 * completes; the worker is then cancelled and its session closed.
 */
public final class UpstreamRemote {

    /** Mirrors branches and tags; other namespaces (notes, pull requests) are not served. */
    private static final List<RefSpec> MIRROR_SPECS = List.of(
            new RefSpec("+refs/heads/*:refs/heads/*"),
            new RefSpec("+refs/tags/*:refs/tags/*"));

    private final String entryName;
    private final URIish uri;
    private final List<KeyPair> identities;
    private final HostKeyPin pin;
    private final PinnedHostConfigStore hostConfig;
    private final Path emptyHome;
    private final Duration upstreamTimeout;
    private final ExecutorService workers;

    /**
     * Creates the remote for one entry.
     *
     * @param emptyHome an empty directory used as the SSH client's home, so that no
     *     {@code ~/.ssh} file of the process's user is read
     */
    public UpstreamRemote(MirrorEntry entry, List<KeyPair> identities, Path emptyHome,
            Duration connectTimeout, Duration upstreamTimeout, ExecutorService workers) {
        this.entryName = entry.name();
        this.uri = entry.parseUpstream();
        this.identities = List.copyOf(identities);
        this.pin = HostKeyPin.parse(entry.knownHostKey());
        this.hostConfig = new PinnedHostConfigStore(entry.extraHosts(), connectTimeout);
        this.emptyHome = emptyHome;
        this.upstreamTimeout = upstreamTimeout;
        this.workers = workers;
    }

    /** Returns the upstream URL as configured, for logs and messages. */
    public String describe() {
        return uri.toString();
    }

    /**
     * Fetches branches and tags into {@code mirror}, deleting refs the upstream no longer has.
     *
     * @throws UpstreamException when the fetch did not complete
     */
    public FetchResult fetchInto(Repository mirror) throws UpstreamException {
        return run("fetch from", mirror, transport -> {
            transport.setRemoveDeletedRefs(true);
            transport.setTagOpt(TagOpt.NO_TAGS);
            return transport.fetch(NullProgressMonitor.INSTANCE, MIRROR_SPECS);
        });
    }

    /**
     * Pushes {@code updates} from {@code mirror}. Per-ref outcomes are in the result; an
     * exception means no ref outcome is known.
     *
     * @throws UpstreamException when the push did not complete
     */
    public PushResult push(Repository mirror, Collection<RemoteRefUpdate> updates, boolean atomic)
            throws UpstreamException {
        return run("push to", mirror, transport -> {
            transport.setPushAtomic(atomic);
            return transport.push(NullProgressMonitor.INSTANCE, updates);
        });
    }

    private <T> T run(String action, Repository mirror, TransportCall<T> call) throws UpstreamException {
        PinnedServerKeyDatabase serverKeys = new PinnedServerKeyDatabase(pin);
        GateSshSessionFactory ssh = new GateSshSessionFactory(emptyHome, identities, serverKeys, hostConfig);
        Future<T> result = workers.submit(() -> {
            try (Transport transport = Transport.open(mirror, uri)) {
                if (!(transport instanceof SshTransport sshTransport)) {
                    throw new NotSupportedException("not an SSH URL: " + uri);
                }
                sshTransport.setSshSessionFactory(ssh);
                transport.setTimeout((int) Math.max(1, upstreamTimeout.toSeconds()));
                return call.run(transport);
            }
        });
        try {
            return result.get(upstreamTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ssh.cancel();
            result.cancel(true);
            throw new UpstreamException(action + " upstream " + uri + " timed out after "
                    + upstreamTimeout.toSeconds() + " s; check that the upstream is reachable and responsive", e);
        } catch (InterruptedException e) {
            ssh.cancel();
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new UpstreamException(action + " upstream " + uri + " was interrupted", e);
        } catch (CancellationException e) {
            throw new UpstreamException(action + " upstream " + uri + " was cancelled", e);
        } catch (ExecutionException e) {
            throw new UpstreamException(explain(action, e.getCause(), serverKeys), e.getCause());
        }
    }

    private String explain(String action, Throwable failure, PinnedServerKeyDatabase serverKeys) {
        String rejected = serverKeys.rejectedFingerprint();
        if (rejected != null) {
            return action + " upstream " + uri + " refused: the server's host key " + rejected
                    + " does not match KnownHostKey " + pin.fingerprint() + " of git entry '" + entryName
                    + "'; if the upstream's key really changed, update KnownHostKey";
        }
        return action + " upstream " + uri + " failed: " + rootMessage(failure);
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        if (cause instanceof JGitInternalException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        if (message == null || message.isBlank()) {
            message = cause.getClass().getSimpleName();
        }
        return message.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    @FunctionalInterface
    private interface TransportCall<T> {
        T run(Transport transport) throws IOException;
    }
}
