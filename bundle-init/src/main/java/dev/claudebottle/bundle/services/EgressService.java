package dev.claudebottle.bundle.services;

import dev.claudebottle.bundle.BundleConfig;
import dev.claudebottle.bundle.BundleConfigException;
import dev.claudebottle.bundle.supervision.BundleService;
import dev.claudebottle.bundle.supervision.RunningService;
import dev.claudebottle.bundle.supervision.ServiceStartException;
import dev.claudebottle.credproxy.TokenBinding;
import dev.claudebottle.egress.EgressConfig;
import dev.claudebottle.egress.EgressProxy;
import dev.claudebottle.egress.EgressProxyException;
import dev.claudebottle.egress.config.CredentialBinding;
import dev.claudebottle.egress.config.RefusalHints;
import dev.claudebottle.egress.tls.CertificateAuthority;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;

/**
 * Runs egress-proxy, the bottle's only way out. Its section of the bundle config uses
 * egress-proxy's own keys; the bundle adds the listen address, where the CA certificate and the
 * audit log go, and a credential binding for every token cred-proxy injects, so that a token is
 * let through toward its own route's upstream only.
 */
final class EgressService implements BundleService {

    /** Refusal hints that point the agent at supervise's tools, for bundles that run supervise. */
    static final RefusalHints SUPERVISE_HINTS = new RefusalHints(
            "If this request is needed, ask for access with the supervise tool egress-block (the failed URL "
                    + "and why); the operator can approve it.",
            "Remove the secret from the request: secrets are refused toward every host. If the task needs a "
                    + "credential for an API, ask for a cred-proxy route with the supervise tool cred-proxy-block; "
                    + "cred-proxy then adds the token, so the agent never holds it.");

    private final BundleContext context;
    /**
     * The bottle's CA, minted once for the bundle's life. A restarted proxy keeps it, so the
     * agent, which trusts the certificate it was given at start, keeps trusting the proxy.
     */
    private final CertificateAuthority ca;

    EgressService(BundleConfig config, BundleContext context) {
        this.context = context;
        EgressConfig first = egressConfig(config, context);
        this.ca = first.caCertFile() == null ? CertificateAuthority.generate(config.bottle()) : null;
    }

    @Override
    public String name() {
        return "egress";
    }

    @Override
    public RunningService start() throws ServiceStartException {
        EgressConfig config = egressConfig(context.config().get(), context);
        if (ca != null && config.caCertFile() == null) {
            config = config.toBuilder().ca(ca).build();
        }
        EgressProxy proxy;
        try {
            proxy = EgressProxy.start(config, context.group());
        } catch (EgressProxyException e) {
            throw new ServiceStartException("egress: cannot start on " + config.listen() + ": " + e.getMessage(), e);
        }
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        return new RunningService() {
            @Override
            public CompletionStage<Throwable> failure() {
                return failure;
            }

            @Override
            public void reload() {
                proxy.reload(egressConfig(context.config().get(), context));
            }

            @Override
            public void stop(Duration drain) {
                proxy.close();
            }
        };
    }

    /** Builds egress-proxy's config from the bundle config's egress section and the secrets. */
    static EgressConfig egressConfig(BundleConfig config, BundleContext context) {
        Map<String, Object> section = new LinkedHashMap<>(config.section("egress"));
        section.putIfAbsent("listen", "0.0.0.0:8888");
        section.putIfAbsent("audit_log", config.stateDir().resolve("audit").resolve("egress.jsonl").toString());
        Map<String, Object> ca = new LinkedHashMap<>();
        if (section.get("ca") instanceof Map<?, ?> given) {
            given.forEach((key, value) -> ca.put(String.valueOf(key), value));
        }
        ca.putIfAbsent("cert_out", config.caCertificatePath().toString());
        section.put("ca", ca);
        section.put("allowlist", allowlistEntries(section.get("allowlist")));

        String yaml = new Dump(DumpSettings.builder().build()).dumpToString(section);
        EgressConfig parsed;
        try {
            parsed = EgressConfig.parse(yaml, config.source() + " (egress section)");
        } catch (EgressProxyException e) {
            throw new BundleConfigException(e.getMessage(), e);
        }

        EgressConfig.Builder builder = parsed.toBuilder();
        if (config.services().contains("supervise") && !config.section("egress").containsKey("hints")) {
            builder.hints(SUPERVISE_HINTS);
        }
        for (TokenBinding binding : TokenBinding.of(CredProxyService.routes(config), CredProxyService.tokens(context))) {
            builder.credential(CredentialBinding.ofValue(binding.tokenRef(),
                    binding.value().getBytes(StandardCharsets.UTF_8), binding.host()));
        }
        return builder.build();
    }

    /** Accepts the manifest's short form too: a plain host name stands for {@code {host: name}}. */
    static List<Object> allowlistEntries(Object allowlist) {
        List<Object> entries = new ArrayList<>();
        if (allowlist instanceof List<?> list) {
            for (Object entry : list) {
                entries.add(entry instanceof String host ? Map.of("host", host) : entry);
            }
        }
        return entries;
    }
}
