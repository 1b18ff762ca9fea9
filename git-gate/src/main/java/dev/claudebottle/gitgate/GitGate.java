package dev.claudebottle.gitgate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.claudebottle.gitgate.config.GitGateConfig;
import dev.claudebottle.gitgate.config.MirrorEntry;
import dev.claudebottle.gitgate.internal.GateDaemon;
import dev.claudebottle.gitgate.mirror.MirrorRepository;
import dev.claudebottle.gitgate.scan.GitleaksScanner;
import dev.claudebottle.gitgate.scan.PushScanner;
import dev.claudebottle.gitgate.upstream.IdentityKeys;
import dev.claudebottle.gitgate.upstream.UpstreamRemote;

/**
 * A running git gate: a {@code git://} daemon serving one bare mirror per configured entry.
 * Fetches refresh the mirror from its SSH upstream first; pushes are scanned with gitleaks and
 * forwarded upstream before the mirror's refs move.
 *
 * <p>Start it with {@link #start(GitGateConfig, SecretSource)}; {@link #close()} stops the
 * daemon and releases the mirrors.
 */
public final class GitGate implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GitGate.class);
    /** Idle limit for a client connection; work such as a scan does not count as idle. */
    private static final int CLIENT_TIMEOUT_SECONDS = 600;

    private final GateDaemon daemon;
    private final List<MirrorRepository> mirrors;
    private final ExecutorService upstreamWorkers;

    private GitGate(GateDaemon daemon, List<MirrorRepository> mirrors, ExecutorService upstreamWorkers) {
        this.daemon = daemon;
        this.mirrors = mirrors;
        this.upstreamWorkers = upstreamWorkers;
    }

    /**
     * Validates the config, loads every identity, opens or creates the mirrors and starts
     * listening. The upstreams are not contacted until the first client request.
     *
     * @throws GitGateException naming the invalid setting or the failed step; nothing is left
     *     running or open when it is thrown
     */
    public static GitGate start(GitGateConfig config, SecretSource secrets) {
        try {
            config.validate();
        } catch (IllegalArgumentException e) {
            throw new GitGateException(e.getMessage(), e);
        }
        ExecutorService workers = Executors.newCachedThreadPool(daemonThreads());
        Map<String, MirrorRepository> mirrors = new LinkedHashMap<>();
        try {
            Path sshHome = Files.createDirectories(config.mirrorRoot().resolve(".ssh-home"));
            Path scratch = Files.createDirectories(config.mirrorRoot().resolve(".scan"));
            for (MirrorEntry entry : config.entries()) {
                UpstreamRemote upstream = new UpstreamRemote(entry, identities(entry, secrets), sshHome,
                        config.connectTimeout(), config.upstreamTimeout(), workers);
                mirrors.put(entry.name(), MirrorRepository.open(config.mirrorRoot(), entry.name(), upstream));
            }
            GitleaksScanner gitleaks = new GitleaksScanner(config.gitleaksExecutable(), config.gitleaksConfig(), config.scanTimeout());
            if (!gitleaks.isInstalled()) {
                LOG.warn("gitleaks not found at '{}'; every push will be rejected until it is installed or the path is fixed",
                        config.gitleaksExecutable());
            }
            PushScanner scanner = new PushScanner(gitleaks, scratch);
            GateDaemon daemon = new GateDaemon(config.listenAddress(), mirrors, scanner, CLIENT_TIMEOUT_SECONDS);
            daemon.start();
            LOG.info("git gate listening on {} serving {}", daemon.address(), mirrors.keySet());
            return new GitGate(daemon, List.copyOf(mirrors.values()), workers);
        } catch (IOException | IllegalArgumentException | GitGateException e) {
            mirrors.values().forEach(MirrorRepository::close);
            workers.shutdownNow();
            if (e instanceof GitGateException gateException) {
                throw gateException;
            }
            throw new GitGateException("git gate could not start: " + e.getMessage(), e);
        }
    }

    /** Returns the address the daemon listens on, with the real port when port 0 was asked for. */
    public InetSocketAddress address() {
        return daemon.address();
    }

    @Override
    public void close() {
        try {
            daemon.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            upstreamWorkers.shutdownNow();
            mirrors.forEach(MirrorRepository::close);
            LOG.info("git gate stopped");
        }
    }

    private static List<KeyPair> identities(MirrorEntry entry, SecretSource secrets) {
        Optional<byte[]> fromSecrets = secrets.identityKey(entry.name());
        if (fromSecrets.isPresent()) {
            return IdentityKeys.load("the secret for git entry '" + entry.name() + "'", fromSecrets.get());
        }
        Path file = entry.identityFileIfSet().orElseThrow(() -> new GitGateException("git entry '" + entry.name()
                + "' has no SSH identity: the secret source has no key for it and IdentityFile is not set"));
        try {
            return IdentityKeys.load("IdentityFile " + file, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new GitGateException("git entry '" + entry.name() + "': IdentityFile " + file
                    + " cannot be read (" + e.getClass().getSimpleName() + "); check the path and its permissions", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "git-gate-upstream-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
