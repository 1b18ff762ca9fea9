package dev.claudebottle.egress.tls;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.netty.handler.ssl.SslContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server TLS contexts per host, minted on a blocking executor the first time a host is seen and
 * cached afterwards (least recently used entries are dropped past {@link #MAX_HOSTS}). Concurrent
 * first requests for one host share one minting.
 */
public final class LeafCertificates {

    private static final Logger log = LoggerFactory.getLogger(LeafCertificates.class);
    static final int MAX_HOSTS = 4096;

    private final CertificateAuthority ca;
    private final TlsContexts contexts;
    private final Executor mintExecutor;
    private final Map<String, CompletableFuture<SslContext>> cache =
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<SslContext>> e) {
                    return size() > MAX_HOSTS;
                }
            };

    public LeafCertificates(CertificateAuthority ca, TlsContexts contexts, Executor mintExecutor) {
        this.ca = ca;
        this.contexts = contexts;
        this.mintExecutor = mintExecutor;
    }

    /** Returns the server context for {@code host}, minting it off the calling thread if needed. */
    public CompletableFuture<SslContext> contextFor(String host) {
        CompletableFuture<SslContext> future;
        boolean created = false;
        synchronized (cache) {
            future = cache.get(host);
            if (future == null) {
                future = new CompletableFuture<>();
                cache.put(host, future);
                created = true;
            }
        }
        if (created) {
            CompletableFuture<SslContext> target = future;
            mintExecutor.execute(() -> mint(host, target));
        }
        return future;
    }

    private void mint(String host, CompletableFuture<SslContext> target) {
        long start = System.nanoTime();
        try {
            SslContext context = contexts.serverContext(ca.mint(host), ca.certificate());
            log.info("minted certificate for {} in {} ms", host, (System.nanoTime() - start) / 1_000_000);
            target.complete(context);
        } catch (RuntimeException e) {
            log.warn("cannot mint a certificate for {}", host, e);
            synchronized (cache) {
                cache.remove(host, target);
            }
            target.completeExceptionally(e);
        }
    }
}
