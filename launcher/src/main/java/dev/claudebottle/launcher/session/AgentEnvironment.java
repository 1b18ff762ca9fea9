package dev.claudebottle.launcher.session;

import dev.claudebottle.credproxy.roles.AgentRoles;
import dev.claudebottle.credproxy.roles.AgentSetup;
import dev.claudebottle.credproxy.route.RouteTable;
import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.manifest.EnvValue;
import dev.claudebottle.launcher.manifest.GitRemote;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The agent container's environment: proxy settings, CA bundle paths, cred-proxy's role
 * variables and the manifest's {@code env}.
 *
 * @param container variables set on the container; {@code docker inspect} shows them, so they
 *     hold no secret
 * @param prompted values the user typed at launch; they are passed only to the main command's
 *     exec, which {@code docker inspect} does not show
 * @param setup cred-proxy's role rendering, whose files provisioning writes
 */
public record AgentEnvironment(Map<String, String> container, Map<String, String> prompted, AgentSetup setup) {

    public static final String PROXY_URL = "http://egress:" + BundleConfigRenderer.EGRESS_PORT;
    public static final String CRED_PROXY_URL = "http://cred-proxy:" + BundleConfigRenderer.CRED_PROXY_PORT;
    /** The bottle's CA alone. */
    public static final String BOTTLE_CA = "/etc/claude-bottle/ca.pem";
    /** Debian's system bundle, which holds the bottle's CA after provisioning. */
    public static final String SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

    /**
     * Builds the environment of {@code plan}.
     *
     * @param hostEnvironment where {@code ${VAR}} values come from
     * @param prompter asks the user for a {@code "?"} value; it receives the prompt text
     */
    public static AgentEnvironment of(BottlePlan plan, Map<String, String> hostEnvironment,
            Function<String, String> prompter) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : new String[] {"HTTP_PROXY", "HTTPS_PROXY"}) {
            env.put(name, PROXY_URL);
            env.put(name.toLowerCase(Locale.ROOT), PROXY_URL);
        }
        String noProxy = String.join(",", BundleConfigRenderer.BOTTLE_NAMES) + ",localhost,127.0.0.1,::1";
        env.put("NO_PROXY", noProxy);
        env.put("no_proxy", noProxy);
        env.put("NODE_EXTRA_CA_CERTS", BOTTLE_CA);
        for (String name : new String[] {"SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO"}) {
            env.put(name, SYSTEM_BUNDLE);
        }
        env.put("CLAUDE_BOTTLE_IDENTITY", plan.identity());

        Set<String> gatedHosts = plan.bottle().git().stream().map(AgentEnvironment::upstreamHost)
                .collect(Collectors.toSet());
        AgentSetup setup = AgentRoles.render(RouteTable.of(plan.bottle().routes()), URI.create(CRED_PROXY_URL),
                gatedHosts);
        env.putAll(setup.environment());

        Map<String, String> prompted = new LinkedHashMap<>();
        for (Map.Entry<String, EnvValue> entry : plan.bottle().env().entrySet()) {
            String name = entry.getKey();
            EnvValue value = entry.getValue();
            if (value instanceof EnvValue.Literal literal) {
                env.put(name, literal.value());
            } else if (value instanceof EnvValue.HostVariable host) {
                env.put(name, hostValue(host, name, hostEnvironment));
            } else if (value instanceof EnvValue.Prompt prompt) {
                prompted.put(name, prompter.apply(prompt.promptText().isEmpty() ? name : prompt.promptText()));
            }
        }
        return new AgentEnvironment(env, prompted, setup);
    }

    private static String hostValue(EnvValue.HostVariable host, String name, Map<String, String> hostEnvironment) {
        String value = hostEnvironment.get(host.name());
        if (value == null) {
            throw new LauncherException("cannot set " + name + " in the bottle",
                    "the host environment variable " + host.name() + " is not set",
                    "export " + host.name() + " before starting the agent");
        }
        return value;
    }

    /** The host of an SSH upstream, {@code git@host:path} or {@code ssh://[user@]host[:port]/path}. */
    static String upstreamHost(GitRemote remote) {
        String upstream = remote.upstream();
        if (upstream.startsWith("ssh://")) {
            URI uri = URI.create(upstream);
            return uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        }
        int at = upstream.indexOf('@');
        int colon = upstream.indexOf(':', at + 1);
        return upstream.substring(at + 1, colon < 0 ? upstream.length() : colon).toLowerCase(Locale.ROOT);
    }

    /** The container variables as {@code NAME=value} strings for the engine. */
    public java.util.List<String> containerList() {
        return container.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /** The prompted variables as {@code NAME=value} strings for the main command's exec. */
    public java.util.List<String> promptedList() {
        return prompted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    @Override
    public String toString() {
        return "AgentEnvironment[container=" + container.keySet() + ", prompted=" + prompted.keySet() + "]";
    }
}
