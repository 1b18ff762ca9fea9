package dev.claudebottle.egress.tunnel;

import java.util.Optional;
import java.util.function.Consumer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import dev.claudebottle.egress.http.Pipelines;
import dev.claudebottle.egress.policy.HostNames;
import dev.claudebottle.egress.policy.IpLiterals;
import dev.claudebottle.egress.policy.Refusal;
import dev.claudebottle.egress.tls.LeafCertificates;

/**
 * Reads the client's TLS ClientHello in a bumped tunnel, checks that its SNI names the CONNECT
 * host, and replaces itself with an {@link SslHandler} presenting a certificate minted for that
 * host. A ClientHello without SNI is refused unless the tunnel was opened to an IP literal.
 * Minting runs on a blocking executor; the handler resumes on the channel's event loop.
 */
public final class BumpSniHandler extends AbstractSniHandler<SslContext> {

    private final String tunnelHost;
    private final LeafCertificates leaves;
    private final Consumer<Refusal> onRefusal;
    private Refusal refusal;

    /**
     * @param tunnelHost normalised CONNECT host
     * @param onRefusal records a refusal; this handler closes the connection afterwards
     */
    public BumpSniHandler(String tunnelHost, LeafCertificates leaves, Consumer<Refusal> onRefusal) {
        super(16 * 1024, 10_000);
        this.tunnelHost = tunnelHost;
        this.leaves = leaves;
        this.onRefusal = onRefusal;
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) {
        Optional<Refusal> mismatch = checkSni(hostname);
        if (mismatch.isPresent()) {
            refusal = mismatch.get();
            return ctx.executor().newFailedFuture(new IllegalStateException(refusal.rule()));
        }
        Promise<SslContext> promise = ctx.executor().newPromise();
        leaves.contextFor(tunnelHost).whenComplete((context, error) -> {
            if (error != null) {
                promise.tryFailure(error);
            } else {
                promise.trySuccess(context);
            }
        });
        return promise;
    }

    private Optional<Refusal> checkSni(String sni) {
        if (sni == null) {
            if (IpLiterals.parse(tunnelHost).isPresent()) {
                return Optional.empty();
            }
            return Optional.of(Refusal.forbidden("sni_missing", "the TLS ClientHello carries no "
                    + "server name (SNI) although the tunnel was opened to " + tunnelHost));
        }
        String normalised;
        try {
            normalised = HostNames.normalise(sni);
        } catch (IllegalArgumentException e) {
            return Optional.of(Refusal.forbidden("sni_mismatch", "the TLS server name is invalid: "
                    + e.getMessage()));
        }
        if (!normalised.equals(tunnelHost)) {
            return Optional.of(Refusal.forbidden("sni_mismatch", "the TLS server name " + normalised
                    + " differs from the CONNECT host " + tunnelHost
                    + "; a tunnel serves only the host it was opened to"));
        }
        return Optional.empty();
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<SslContext> future) {
        if (!future.isSuccess()) {
            onRefusal.accept(refusal != null ? refusal
                    : new Refusal("certificate_failed", 502, "cannot mint a certificate for " + tunnelHost));
            ctx.close();
            return;
        }
        SslHandler ssl = null;
        try {
            ssl = future.getNow().newHandler(ctx.alloc());
            ctx.pipeline().replace(this, Pipelines.TLS, ssl);
            ssl = null;
        } finally {
            if (ssl != null) {
                ReferenceCountUtil.safeRelease(ssl.engine());
            }
        }
    }
}
