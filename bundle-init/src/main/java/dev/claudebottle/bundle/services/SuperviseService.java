package dev.claudebottle.bundle.services;

import dev.claudebottle.bundle.BundleConfig;
import dev.claudebottle.bundle.supervision.BundleService;
import dev.claudebottle.bundle.supervision.RunningService;
import dev.claudebottle.bundle.supervision.ServiceStartException;
import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.credproxy.route.RouteRole;
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

    /**
     * Builds what {@code list-egress} shows the agent: the allowlist and the routes, without tokens.
     * The routes come from the same parse cred-proxy uses, so the agent sees what cred-proxy serves.
     */
    static EgressSnapshot snapshot(BundleConfig config) {
        List<String> hosts = new ArrayList<>();
        for (Object entry : EgressService.allowlistEntries(config.section("egress").get("allowlist"))) {
            if (!(entry instanceof Map<?, ?> map) || map.get("host") == null) {
                continue;
            }
            // One host:port entry per listed port, as EgressSnapshot documents; no ports means 443.
            if (map.get("ports") instanceof List<?> ports && !ports.isEmpty()) {
                ports.forEach(port -> hosts.add(map.get("host") + ":" + port));
            } else {
                hosts.add(String.valueOf(map.get("host")));
            }
        }
        List<EgressSnapshot.CredentialRoute> routes = new ArrayList<>();
        for (Route route : CredProxyService.routes(config).routes()) {
            String roles = route.roles().stream().map(RouteRole::manifestName).sorted()
                    .reduce((left, right) -> left + "," + right).orElse(null);
            routes.add(new EgressSnapshot.CredentialRoute(route.path(), route.upstream().toString(),
                    route.authScheme().manifestName(), route.tokenRef(), roles));
        }
        return new EgressSnapshot(hosts, routes);
    }
}
