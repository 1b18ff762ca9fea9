package dev.claudebottle.bundle.services;

import dev.claudebottle.bundle.BundleConfig;
import dev.claudebottle.bundle.BundleConfigException;
import dev.claudebottle.bundle.supervision.BundleService;
import dev.claudebottle.bundle.supervision.RunningService;
import dev.claudebottle.bundle.supervision.ServiceStartException;
import dev.claudebottle.credproxy.CredProxy;
import dev.claudebottle.credproxy.CredProxyConfig;
import dev.claudebottle.credproxy.CredProxyException;
import dev.claudebottle.credproxy.TokenSource;
import dev.claudebottle.credproxy.route.RouteTable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs cred-proxy: it injects each route's token and sends every request upstream through the
 * bundle's own egress-proxy, trusting the bottle CA that egress-proxy minted.
 */
final class CredProxyService implements BundleService {

    private final BundleContext context;
    private final InetSocketAddress listen;
    private final InetSocketAddress egress;

    CredProxyService(BundleConfig config, BundleContext context, InetSocketAddress egress) {
        SectionReader reader = new SectionReader(config.section("cred-proxy"), "cred_proxy", config.source(),
                List.of("listen", "routes"));
        this.listen = reader.address("listen", "0.0.0.0:" + CredProxyConfig.DEFAULT_PORT);
        this.context = context;
        this.egress = egress;
        routes(config);
    }

    @Override
    public String name() {
        return "cred-proxy";
    }

    @Override
    public RunningService start() throws ServiceStartException {
        BundleConfig config = context.config().get();
        X509Certificate bottleCa = readCertificate(config.caCertificatePath());
        CredProxyConfig credProxyConfig = CredProxyConfig.builder()
                .listen(listen)
                .routes(routes(config))
                .egressProxy(egress)
                .trust(bottleCa)
                .build();
        CredProxy credProxy;
        try {
            credProxy = CredProxy.start(credProxyConfig, tokens(context), context.group());
        } catch (CredProxyException e) {
            throw new ServiceStartException("cred-proxy: cannot start on " + listen + ": " + e.getMessage(), e);
        }
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        return new RunningService() {
            @Override
            public CompletionStage<Throwable> failure() {
                return failure;
            }

            @Override
            public void reload() {
                credProxy.reload(routes(context.config().get()));
            }

            @Override
            public void stop(Duration drain) {
                credProxy.close();
            }
        };
    }

    /** Returns the token source cred-proxy and egress-proxy's credential bindings share. */
    static TokenSource tokens(BundleContext context) {
        return tokenRef -> context.secrets().token(tokenRef)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                .filter(value -> !value.isEmpty());
    }

    static RouteTable routes(BundleConfig config) {
        Object routes = config.section("cred-proxy").get("routes");
        if (routes == null) {
            return RouteTable.empty();
        }
        if (!(routes instanceof List<?> list)) {
            throw new BundleConfigException(config.source() + ": 'cred_proxy.routes' must be a list of routes");
        }
        try {
            return RouteTable.parse(list);
        } catch (CredProxyException e) {
            throw new BundleConfigException(config.source() + ": cred_proxy.routes: " + e.getMessage(), e);
        }
    }

    private static X509Certificate readCertificate(Path file) throws ServiceStartException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException e) {
            throw new ServiceStartException("cred-proxy: cannot read the bottle CA certificate " + file
                    + " that egress-proxy writes at start; is egress among the services?", e);
        }
    }
}
