package dev.claudebottle.bundle.services;

import dev.claudebottle.bundle.BundleConfig;
import dev.claudebottle.bundle.supervision.BundleService;
import dev.claudebottle.bundle.supervision.RunningService;
import dev.claudebottle.bundle.supervision.ServiceStartException;
import dev.claudebottle.supervise.EgressSnapshot;
import dev.claudebottle.supervise.Supervise;
import dev.claudebottle.supervise.SuperviseConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs supervise, the agent's MCP server for access requests, with its queue in the state
 * directory the launcher mounts from the host.
 */
final class SuperviseService implements BundleService {

    private final BundleContext context;
    private final InetSocketAddress listen;

    SuperviseService(BundleConfig config, BundleContext context) {
        SectionReader reader = new SectionReader(config.section("supervise"), "supervise", config.source(),
                List.of("listen"));
        this.listen = reader.address("listen", "0.0.0.0:" + SuperviseConfig.DEFAULT_PORT);
        this.context = context;
    }

    @Override
    public String name() {
        return "supervise";
    }

    @Override
    public RunningService start() throws ServiceStartException {
        BundleConfig config = context.config().get();
        Path stateDir = config.stateDir();
        SuperviseConfig superviseConfig = SuperviseConfig
                .builder(config.bottle(), stateDir.resolve("queue"), stateDir.resolve("audit").resolve("supervise.jsonl"))
                .bindAddress(listen)
                .egress(() -> snapshot(context.config().get()))
                .build();
        Supervise supervise;
        try {
            supervise = Supervise.start(superviseConfig, context.group());
        } catch (RuntimeException e) {
            throw new ServiceStartException("supervise: cannot start on " + listen + ": " + e.getMessage(), e);
        }
        // NOTE: Supervise exposes no close future, so a crash of its channel is not noticed here;
        // today we rely on its handlers closing single connections, never the server socket.
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        return new RunningService() {
            @Override
            public CompletionStage<Throwable> failure() {
                return failure;
            }

            @Override
            public void stop(Duration drain) {
                supervise.close();
            }
        };
    }

    /** Builds what {@code list-egress} shows the agent: the allowlist and the routes, without tokens. */
    static EgressSnapshot snapshot(BundleConfig config) {
        List<String> hosts = new ArrayList<>();
        Object allowlist = config.section("egress").get("allowlist");
        if (allowlist instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof String host) {
                    hosts.add(host);
                } else if (entry instanceof Map<?, ?> map && map.get("host") != null) {
                    Object ports = map.get("ports");
                    hosts.add(ports == null ? String.valueOf(map.get("host")) : map.get("host") + ":" + ports);
                }
            }
        }
        List<EgressSnapshot.CredentialRoute> routes = new ArrayList<>();
        Object routeList = config.section("cred-proxy").get("routes");
        if (routeList instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> map && map.get("path") != null && map.get("upstream") != null) {
                    Object role = map.get("role");
                    routes.add(new EgressSnapshot.CredentialRoute(String.valueOf(map.get("path")),
                            String.valueOf(map.get("upstream")), String.valueOf(map.get("auth_scheme")),
                            String.valueOf(map.get("token_ref")), role == null ? null : String.valueOf(role)));
                }
            }
        }
        return new EgressSnapshot(hosts, routes);
    }
}
