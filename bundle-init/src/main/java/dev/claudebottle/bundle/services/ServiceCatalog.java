package dev.claudebottle.bundle.services;

import dev.claudebottle.bundle.BundleConfig;
import dev.claudebottle.bundle.supervision.BundleService;
import java.util.ArrayList;
import java.util.List;

/** Creates the adapters of the services a bundle config names, in start order. */
public final class ServiceCatalog {

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
                case "dns" -> new DnsService(config.section("dns"), config.source(), context.group());
                default -> throw new IllegalStateException("no adapter for service " + name);
            });
        }
        return services;
    }
}
