package dev.claudebottle.bundle;

import dev.claudebottle.bundle.secrets.BundleSecrets;
import dev.claudebottle.bundle.secrets.SecretDrop;
import dev.claudebottle.bundle.secrets.SecretException;
import dev.claudebottle.bundle.services.BundleContext;
import dev.claudebottle.bundle.services.ServiceCatalog;
import dev.claudebottle.bundle.supervision.BundleService;
import dev.claudebottle.bundle.supervision.ServiceSupervisor;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * One running bundle: waits for the secrets, starts the configured services on one shared
 * event-loop group, reloads on SIGHUP and drains on SIGTERM or SIGINT.
 */
final class Bundle {

    private static final Logger LOG = LoggerFactory.getLogger(Bundle.class);

    /** How long connections in flight may finish after SIGTERM; Docker's default stop timeout is 10 s. */
    static final Duration DRAIN = Duration.ofSeconds(8);

    private final Path configFile;
    private final AtomicReference<BundleConfig> config;
    private final AtomicReference<BundleSecrets> secrets = new AtomicReference<>(BundleSecrets.empty());
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final boolean exitWhenReady;

    Bundle(BundleConfig config, Path configFile, boolean exitWhenReady) {
        this.config = new AtomicReference<>(config);
        this.configFile = configFile;
        this.exitWhenReady = exitWhenReady;
    }

    int runUntilStopped() {
        BundleConfig initial = config.get();
        LOG.info("bundle for bottle {} starting: services {}", initial.bottle(), initial.services());
        try {
            Files.createDirectories(initial.runDir());
        } catch (IOException e) {
            LOG.error("cannot create {}; the bundle needs it writable (a tmpfs)", initial.runDir(), e);
            return BundleMain.EXIT_FAILED;
        }

        // Services that hold credentials must not accept traffic before the secrets are here.
        BundleSecrets secrets;
        try {
            secrets = awaitSecrets(initial);
        } catch (SecretException e) {
            LOG.error("cannot read the secrets: {}", e.getMessage());
            return BundleMain.EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return BundleMain.EXIT_FAILED;
        }

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            this.secrets.set(secrets);
            BundleContext context = new BundleContext(config::get, this.secrets::get, group);
            List<BundleService> services = ServiceCatalog.create(initial, context);
            ServiceSupervisor supervisor = new ServiceSupervisor(services, ServiceSupervisor.Policy.DEFAULT,
                    new HealthFiles(initial.runDir()));
            installSignalHandlers(supervisor);
            supervisor.start().join();
            if (exitWhenReady) {
                boolean ready = supervisor.health().ready();
                supervisor.stop(Duration.ZERO).get(10, TimeUnit.SECONDS);
                return ready ? BundleMain.EXIT_STOPPED : BundleMain.EXIT_FAILED;
            }
            stopRequested.await();
            LOG.info("stop requested; draining for up to {} s", DRAIN.toSeconds());
            supervisor.stop(DRAIN).get(DRAIN.toSeconds() + 5, TimeUnit.SECONDS);
            LOG.info("bundle stopped");
            return BundleMain.EXIT_STOPPED;
        } catch (BundleConfigException e) {
            LOG.error("invalid bundle config: {}", e.getMessage());
            return BundleMain.EXIT_CONFIG;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return BundleMain.EXIT_FAILED;
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("the services did not stop cleanly", e);
            return BundleMain.EXIT_FAILED;
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private BundleSecrets awaitSecrets(BundleConfig initial) throws SecretException, InterruptedException {
        if (initial.secretsTimeout().isZero()) {
            return BundleSecrets.empty();
        }
        LOG.info("waiting up to {} s for the secrets in {}", initial.secretsTimeout().toSeconds(), initial.secretsDir());
        var received = new SecretDrop(initial.secretsDir()).await(initial.secretsTimeout());
        if (received.isEmpty()) {
            LOG.warn("no secrets arrived within {} s; starting without them, so routes and git entries that "
                    + "need a token or key will fail until the bundle is restarted with secrets",
                    initial.secretsTimeout().toSeconds());
            return BundleSecrets.empty();
        }
        LOG.info("secrets received: tokens {}, SSH keys for {}", received.get().tokenNames(),
                received.get().sshKeyNames());
        return received.get();
    }

    /**
     * Picks up tokens and keys that {@code receive-secrets --add} stored since the last read, so a
     * route approved while the bottle runs can use its token. A document that cannot be read
     * leaves the secrets in force unchanged.
     */
    private void reloadSecrets(BundleConfig fresh) {
        if (fresh.secretsTimeout().isZero()) {
            return;
        }
        try {
            new SecretDrop(fresh.secretsDir()).current().ifPresent(current -> {
                if (!current.tokenNames().equals(secrets.get().tokenNames())
                        || !current.sshKeyNames().equals(secrets.get().sshKeyNames())) {
                    LOG.info("SIGHUP: secrets re-read: tokens {}, SSH keys for {}", current.tokenNames(),
                            current.sshKeyNames());
                }
                secrets.set(current);
            });
        } catch (SecretException e) {
            LOG.error("SIGHUP: cannot re-read the secrets, the ones in force stay: {}", e.getMessage());
        }
    }

    private void installSignalHandlers(ServiceSupervisor supervisor) {
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("HUP"), signal -> reload(supervisor));
    }

    private void reload(ServiceSupervisor supervisor) {
        try {
            BundleConfig fresh = BundleConfig.load(configFile);
            config.set(fresh);
            LOG.info("SIGHUP: config re-read from {}; reloading allowlist and routes", configFile);
            reloadSecrets(fresh);
            supervisor.reload();
        } catch (BundleConfigException e) {
            LOG.error("SIGHUP: the new config is invalid, the running one stays in force: {}", e.getMessage());
        }
    }
}
