package dev.claudebottle.egress;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.claudebottle.egress.audit.AuditLog;
import dev.claudebottle.egress.config.AllowRule;
import dev.claudebottle.egress.http.Inspector;
import dev.claudebottle.egress.internal.ProxyRuntime;
import dev.claudebottle.egress.internal.ProxyServer;
import dev.claudebottle.egress.internal.Transport;
import dev.claudebottle.egress.policy.Allowlist;
import dev.claudebottle.egress.policy.EgressPolicy;
import dev.claudebottle.egress.policy.HostResolver;
import dev.claudebottle.egress.tls.CertificateAuthority;
import dev.claudebottle.egress.tls.LeafCertificates;
import dev.claudebottle.egress.tls.TlsContexts;

/**
 * A running egress proxy: an HTTP/1.1 forward proxy that bumps CONNECT tunnels with its own CA
 * and enforces the allowlist, SSRF guard and DLP on every request.
 *
 * <pre>
 * try (EgressProxy proxy = EgressProxy.start(EgressConfig.load(path))) {
 *     proxy.address();            // bound address (port 0 in the config picks a free one)
 *     proxy.caCertificatePem();   // what clients must trust
 *     proxy.reload(newConfig);    // swap allowlist, resolve map, DLP settings and credentials
 * }
 * </pre>
 */
public final class EgressProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EgressProxy.class);

    private final EgressConfig startConfig;
    private volatile EgressConfig config;
    private final CertificateAuthority ca;
    private final ProxyRuntime runtime;
    private final Channel serverChannel;
    private final EventLoopGroup ownedGroup;
    private final ExecutorService blocking;
    private final AuditLog audit;

    private EgressProxy(EgressConfig config, CertificateAuthority ca, ProxyRuntime runtime,
                        Channel serverChannel, EventLoopGroup ownedGroup, ExecutorService blocking,
                        AuditLog audit) {
        this.startConfig = config;
        this.config = config;
        this.ca = ca;
        this.runtime = runtime;
        this.serverChannel = serverChannel;
        this.ownedGroup = ownedGroup;
        this.blocking = blocking;
        this.audit = audit;
    }

    /** Starts a proxy with its own event-loop group (epoll where available). */
    public static EgressProxy start(EgressConfig config) {
        EventLoopGroup group = Transport.newGroup(config.workers());
        try {
            return start(config, group, group);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Starts a proxy on a shared event-loop group, which the caller owns and shuts down. */
    public static EgressProxy start(EgressConfig config, EventLoopGroup group) {
        return start(config, group, null);
    }

    private static EgressProxy start(EgressConfig config, EventLoopGroup group, EventLoopGroup owned) {
        CertificateAuthority ca;
        if (config.ca() != null) {
            ca = config.ca();
        } else if (config.caCertFile() != null) {
            ca = CertificateAuthority.load(config.caCertFile(), config.caKeyFile());
        } else {
            ca = CertificateAuthority.generate(Long.toHexString(System.nanoTime()));
        }
        TlsContexts tls = TlsContexts.create(config.upstreamCa());
        AtomicInteger threads = new AtomicInteger();
        ExecutorService blocking = Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
                    Thread t = new Thread(r, "egress-blocking-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        AuditLog audit = null;
        try {
            audit = AuditLog.open(config.auditLog(), config.auditListener());
            Inspector inspector = Inspector.create(config.dlp(), config.credentials());
            LeafCertificates leaves = new LeafCertificates(ca, tls, blocking);
            Transport transport = Transport.forGroup(group);
            ProxyRuntime runtime = new ProxyRuntime(null, leaves, tls, audit, config.limits(), config.hints(),
                    transport, blocking);

            Channel server = ProxyServer.bind(runtime, group, config.listen());
            InetSocketAddress bound = (InetSocketAddress) server.localAddress();
            runtime.replaceSnapshot(new ProxyRuntime.Snapshot(policy(config, bound, blocking), inspector));
            if (config.caCertOut() != null) {
                try {
                    ca.writeCertificate(config.caCertOut());
                } catch (RuntimeException e) {
                    server.close().syncUninterruptibly();
                    throw e;
                }
            }
            log.info("egress proxy listening on {} ({} transport, {} TLS), allowlist entries: {}",
                    bound, transport.name(), tls.provider(), config.allowlist().size());
            return new EgressProxy(config, ca, runtime, server, owned, blocking, audit);
        } catch (RuntimeException e) {
            blocking.shutdownNow();
            if (audit != null) {
                audit.close();
            }
            throw e;
        }
    }

    private static EgressPolicy policy(EgressConfig config, InetSocketAddress bound,
                                       ExecutorService blocking) {
        return new EgressPolicy(new Allowlist(config.allowlist()),
                new HostResolver(config.resolve(), blocking), bound);
    }

    /** The bound listen address. */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The CA certificate that clients must trust. */
    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    /** The CA certificate in PEM form. */
    public String caCertificatePem() {
        return ca.certificatePem();
    }

    /** The config in force: the one started with, or the last one given to a reload. */
    public EgressConfig config() {
        return config;
    }

    /**
     * Applies a new allowlist, resolve map, DLP settings and credential bindings. Requests
     * already admitted keep going; each new request and tunnel uses the new policy. Listen
     * address, CA, limits, upstream CAs and the audit log stay as started (a logged warning states this).
     *
     * @throws EgressProxyException when the new config cannot be applied; the old one stays
     */
    public synchronized void reload(EgressConfig next) {
        if (!next.listen().equals(startConfig.listen()) || !next.upstreamCa().equals(startConfig.upstreamCa())
                || !next.limits().equals(startConfig.limits())) {
            log.warn("reload applies the allowlist, resolve, dlp and credentials only; restart the "
                    + "proxy to change listen, upstream_ca or limits");
        }
        Inspector inspector = Inspector.create(next.dlp(), next.credentials());
        runtime.replaceSnapshot(new ProxyRuntime.Snapshot(policy(next, address(), blocking), inspector));
        config = next;
        log.info("egress proxy reloaded, allowlist entries: {}", next.allowlist().size());
    }

    /** Replaces only the allowlist, keeping the rest of the config in force. */
    public synchronized void reload(List<AllowRule> allowlist) {
        reload(config.toBuilder().allowlist(allowlist).build());
    }

    /** Stops listening, closes open connections and the audit log, and frees threads. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        ProxyServer.closeChildren(serverChannel);
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        blocking.shutdownNow();
        audit.close();
        log.info("egress proxy on {} stopped", serverChannel.localAddress());
    }
}
