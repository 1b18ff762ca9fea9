package dev.claudebottle.egress.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.claudebottle.egress.audit.AuditLog;
import dev.claudebottle.egress.config.Limits;
import dev.claudebottle.egress.config.RefusalHints;
import dev.claudebottle.egress.http.Inspector;
import dev.claudebottle.egress.policy.EgressPolicy;
import dev.claudebottle.egress.tls.LeafCertificates;
import dev.claudebottle.egress.tls.TlsContexts;

/**
 * State shared by every connection of one proxy. The policy snapshot is swapped atomically on
 * reload; a connection reads it once per request, so established connections keep working.
 */
public final class ProxyRuntime {

    /** The reloadable part: the connection policy and the DLP inspector. */
    public record Snapshot(EgressPolicy policy, Inspector inspector) {
    }

    private final AtomicReference<Snapshot> snapshot;
    private final LeafCertificates leaves;
    private final TlsContexts tls;
    private final AuditLog audit;
    private final Limits limits;
    private final RefusalHints hints;
    private final Transport transport;
    private final Executor blockingExecutor;
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicInteger openConnections = new AtomicInteger();

    public ProxyRuntime(Snapshot initial, LeafCertificates leaves, TlsContexts tls, AuditLog audit,
                        Limits limits, RefusalHints hints, Transport transport, Executor blockingExecutor) {
        this.snapshot = new AtomicReference<>(initial);
        this.leaves = leaves;
        this.tls = tls;
        this.audit = audit;
        this.limits = limits;
        this.hints = hints;
        this.transport = transport;
        this.blockingExecutor = blockingExecutor;
    }

    public Snapshot snapshot() {
        return snapshot.get();
    }

    public void replaceSnapshot(Snapshot next) {
        snapshot.set(next);
    }

    public LeafCertificates leaves() {
        return leaves;
    }

    public TlsContexts tls() {
        return tls;
    }

    public AuditLog audit() {
        return audit;
    }

    public Limits limits() {
        return limits;
    }

    /** Returns the hints that end refusal bodies. */
    public RefusalHints hints() {
        return hints;
    }

    public Transport transport() {
        return transport;
    }

    public Executor blockingExecutor() {
        return blockingExecutor;
    }

    public long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    public AtomicInteger openConnections() {
        return openConnections;
    }
}
