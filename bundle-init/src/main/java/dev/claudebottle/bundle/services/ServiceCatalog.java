package dev.claudebottle.bundle.services;

import dev.claudebottle.bundle.BundleConfig;
import dev.claudebottle.bundle.supervision.BundleService;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Creates the adapters of the services a bundle config names, in start order. */
public final class ServiceCatalog {

    /** cred-proxy reaches egress-proxy inside the same container. */
    private static final InetSocketAddress EGRESS_IN_BUNDLE = new InetSocketAddress("127.0.0.1", 8888);

    private ServiceCatalog() {
    }

    /**
     * Creates one adapter per configured service. Adding a service means one case here and one
     * name in {@link BundleConfig#SERVICE_ORDER}.
     */
    public static List<BundleService> create(BundleConfig config, BundleContext context) {
        List<BundleService> services = new ArrayList<>();
        for (String name : config.services()) {
            services.add(switch (name) {
                case "egress" -> new EgressService(config, context);
                case "cred-proxy" -> new CredProxyService(config, context, EGRESS_IN_BUNDLE);
                case "git-gate" -> new GitGateService(config, context);
                case "supervise" -> new SuperviseService(config, context);
                case "dns" -> new DnsService(config.section("dns"), config.source(), context.group());
                default -> throw new IllegalStateException("no adapter for service " + name);
            });
        }
        return services;
    }
}
