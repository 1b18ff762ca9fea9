package dev.claudebottle.credproxy.roles;

import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.credproxy.route.RouteRole;
import dev.claudebottle.credproxy.route.RouteTable;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders, from the route roles, the settings that point the agent's tools at cred-proxy.
 *
 * <ul>
 *   <li>{@code anthropic-base-url}: {@code ANTHROPIC_BASE_URL} and a placeholder
 *       {@code CLAUDE_CODE_OAUTH_TOKEN}, because Claude Code prompts for a login without one.
 *       cred-proxy replaces it with the real token.</li>
 *   <li>{@code npm-registry}: the {@code registry=} line of {@code ~/.npmrc}.</li>
 *   <li>{@code git-insteadof}: a {@code url.<route>.insteadOf} rule in {@code ~/.gitconfig}
 *       for the upstream's origin, left out when the git gate already serves that host.</li>
 *   <li>{@code tea-login}: a login in {@code ~/.config/tea/config.yml}.</li>
 * </ul>
 */
public final class AgentRoles {

    /** A value Claude Code takes as a configured token. It is no secret, and cred-proxy strips it. */
    public static final String OAUTH_TOKEN_PLACEHOLDER = "cred-proxy-injects-the-real-token";
    public static final String ANTHROPIC_BASE_URL = "ANTHROPIC_BASE_URL";
    public static final String CLAUDE_CODE_OAUTH_TOKEN = "CLAUDE_CODE_OAUTH_TOKEN";
    public static final String NPMRC = ".npmrc";
    public static final String GITCONFIG = ".gitconfig";
    public static final String TEA_CONFIG = ".config/tea/config.yml";

    private AgentRoles() {
    }

    /**
     * Renders the agent setup for {@code routes}.
     *
     * @param routes       the bottle's routes
     * @param credProxyUrl cred-proxy as the agent reaches it, such as {@code http://cred-proxy:9099}
     * @param gitGateHosts upstream hosts the git gate already serves; a {@code git-insteadof}
     *                     route for one of them is skipped, since the gate's own rule must win
     */
    public static AgentSetup render(RouteTable routes, URI credProxyUrl, Set<String> gitGateHosts) {
        Objects.requireNonNull(routes, "routes");
        String base = stripTrailingSlash(credProxyUrl.toString());
        Set<String> gatedHosts = gitGateHosts.stream()
                .map(host -> host.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());

        Map<String, String> environment = new LinkedHashMap<>();
        List<AgentFile> files = new ArrayList<>();

        routes.withRole(RouteRole.ANTHROPIC_BASE_URL).ifPresent(route -> {
            environment.put(ANTHROPIC_BASE_URL, base + route.mount());
            environment.put(CLAUDE_CODE_OAUTH_TOKEN, OAUTH_TOKEN_PLACEHOLDER);
        });
        routes.withRole(RouteRole.NPM_REGISTRY)
                .ifPresent(route -> files.add(new AgentFile(NPMRC, "registry=" + base + route.path() + "\n")));

        String gitconfig = gitconfig(routes, base, gatedHosts);
        if (!gitconfig.isEmpty()) {
            files.add(new AgentFile(GITCONFIG, gitconfig));
        }
        String tea = teaConfig(routes, base);
        if (!tea.isEmpty()) {
            files.add(new AgentFile(TEA_CONFIG, tea));
        }
        return new AgentSetup(environment, files);
    }

    private static String gitconfig(RouteTable routes, String base, Set<String> gatedHosts) {
        StringBuilder text = new StringBuilder();
        for (Route route : routes.routes()) {
            if (!route.has(RouteRole.GIT_INSTEADOF) || gatedHosts.contains(route.upstreamHost())) {
                continue;
            }
            String original = "https://" + route.upstreamAuthority() + route.upstreamBasePath() + "/";
            text.append("[url \"").append(base).append(route.path()).append("\"]\n")
                    .append("\tinsteadOf = ").append(original).append('\n');
        }
        return text.toString();
    }

    /**
     * Writes tea's login list. tea needs a token to treat a login as usable, so each login
     * carries the placeholder; the first one is the default.
     */
    private static String teaConfig(RouteTable routes, String base) {
        StringBuilder text = new StringBuilder();
        boolean first = true;
        for (Route route : routes.routes()) {
            if (!route.has(RouteRole.TEA_LOGIN)) {
                continue;
            }
            if (first) {
                text.append("logins:\n");
            }
            text.append("  - name: ").append(loginName(route)).append('\n')
                    .append("    url: ").append(base).append(route.mount()).append('\n')
                    .append("    token: ").append(OAUTH_TOKEN_PLACEHOLDER).append('\n')
                    .append("    default: ").append(first).append('\n');
            first = false;
        }
        return text.toString();
    }

    /** Names a login after its route path ({@code /gitea/} becomes {@code gitea}), so names are unique. */
    private static String loginName(Route route) {
        String name = route.mount().replace('/', '-');
        return name.isEmpty() ? route.upstreamHost() : name.substring(1);
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
