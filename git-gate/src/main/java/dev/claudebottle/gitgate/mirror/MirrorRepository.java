package dev.claudebottle.gitgate.mirror;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.claudebottle.gitgate.upstream.UpstreamException;
import dev.claudebottle.gitgate.upstream.UpstreamRemote;

/**
 * A bare mirror of one upstream, with the lock that orders its refreshes and pushes.
 *
 * <p>Every fetch from upstream and every push (scan, forward, local ref update) runs while
 * holding {@link #lock()}, so a client never sees refs halfway between two of them.
 */
public final class MirrorRepository implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MirrorRepository.class);

    private final String name;
    private final Repository repository;
    private final UpstreamRemote upstream;
    private final ReentrantLock lock = new ReentrantLock();

    private MirrorRepository(String name, Repository repository, UpstreamRemote upstream) {
        this.name = name;
        this.repository = repository;
        this.upstream = upstream;
    }

    /**
     * Opens {@code <root>/<name>.git}, creating an empty bare repository when it does not exist.
     *
     * @throws IOException when the directory cannot be created or is not a repository
     */
    public static MirrorRepository open(Path root, String name, UpstreamRemote upstream) throws IOException {
        Path dir = root.resolve(name + Constants.DOT_GIT_EXT);
        Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        if (!repository.getObjectDatabase().exists()) {
            repository.create(true);
        }
        StoredConfig config = repository.getConfig();
        // Reflogs of a mirror would keep rejected or deleted history reachable on disk.
        config.setBoolean("core", null, "logAllRefUpdates", false);
        config.setBoolean("receive", null, "fsckObjects", true);
        config.save();
        return new MirrorRepository(name, repository, upstream);
    }

    public String name() {
        return name;
    }

    public Repository repository() {
        return repository;
    }

    public UpstreamRemote upstream() {
        return upstream;
    }

    public ReentrantLock lock() {
        return lock;
    }

    /**
     * Fetches branches and tags from upstream with prune and points HEAD where the upstream's
     * HEAD points.
     *
     * @throws UpstreamException when the upstream could not be fetched; the mirror keeps its
     *     previous refs, and the caller must not serve them
     */
    public void refresh() throws UpstreamException {
        long started = System.nanoTime();
        lock.lock();
        try {
            FetchResult result = upstream.fetchInto(repository);
            followUpstreamHead(result);
            LOG.info("fetch repo={} upstream={} result=ok refsUpdated={} durationMs={}",
                    name, upstream.describe(), result.getTrackingRefUpdates().size(), elapsedMillis(started));
        } catch (UpstreamException e) {
            LOG.info("fetch repo={} upstream={} result=failed reason=\"{}\" durationMs={}",
                    name, upstream.describe(), e.getMessage(), elapsedMillis(started));
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private void followUpstreamHead(FetchResult result) {
        Ref head = result.getAdvertisedRef(Constants.HEAD);
        if (head == null || !head.isSymbolic()) {
            return;
        }
        String target = head.getTarget().getName();
        try {
            Ref current = repository.exactRef(Constants.HEAD);
            if (current != null && current.isSymbolic() && current.getTarget().getName().equals(target)) {
                return;
            }
            RefUpdate update = repository.updateRef(Constants.HEAD);
            update.disableRefLog();
            update.link(target);
        } catch (IOException e) {
            LOG.warn("repo={} could not point HEAD at {}", name, target, e);
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    @Override
    public void close() {
        repository.close();
    }
}
