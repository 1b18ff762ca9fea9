package dev.claudebottle.credproxy.roles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.credproxy.route.RouteTable;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentRolesTest {

    private static final URI CRED_PROXY = URI.create("http://cred-proxy:9099");

    private static Map<String, Object> route(String path, String upstream, Object role) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("path", path);
        map.put("upstream", upstream);
        map.put("token_ref", "SOME_TOKEN");
        map.put("role", role);
        return map;
    }

    private final RouteTable giteaDev = RouteTable.parse(List.of(
            route("/anthropic/", "https://api.anthropic.com", "anthropic-base-url"),
            route("/gh-api/", "https://api.github.com", null),
            route("/gh-git/", "https://github.com", "git-insteadof"),
            route("/npm/", "https://registry.npmjs.org", "npm-registry")));

    @Test
    void anthropicBaseUrlAndPlaceholder() {
        AgentSetup setup = AgentRoles.render(giteaDev, CRED_PROXY, Set.of());

        assertThat(setup.environment()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ANTHROPIC_BASE_URL", "http://cred-proxy:9099/anthropic",
                "CLAUDE_CODE_OAUTH_TOKEN", AgentRoles.OAUTH_TOKEN_PLACEHOLDER));
    }

    @Test
    void npmrcRegistryLine() {
        AgentSetup setup = AgentRoles.render(giteaDev, URI.create("http://cred-proxy:9099/"), Set.of());

        assertThat(setup.file(".npmrc").orElseThrow().content()).isEqualTo("registry=http://cred-proxy:9099/npm/\n");
    }

    @Test
    void gitconfigInsteadOf() {
        AgentSetup setup = AgentRoles.render(giteaDev, CRED_PROXY, Set.of());

        assertThat(setup.file(".gitconfig").orElseThrow().content()).isEqualTo(
                "[url \"http://cred-proxy:9099/gh-git/\"]\n\tinsteadOf = https://github.com/\n");
    }

    @Test
    void gitconfigSkipsHostServedByGitGate() {
        AgentSetup setup = AgentRoles.render(giteaDev, CRED_PROXY, Set.of("GitHub.com"));

        assertThat(setup.file(".gitconfig")).isEmpty();
    }

    @Test
    void gitconfigKeepsPortAndBasePath() {
        RouteTable table = RouteTable.parse(List.of(
                route("/gitea-git/", "https://git.example.test:3000/sub/", "git-insteadof")));

        AgentSetup setup = AgentRoles.render(table, CRED_PROXY, Set.of("other.test"));

        assertThat(setup.file(".gitconfig").orElseThrow().content()).isEqualTo(
                "[url \"http://cred-proxy:9099/gitea-git/\"]\n\tinsteadOf = https://git.example.test:3000/sub/\n");
    }

    @Test
    void teaLogin() {
        RouteTable table = RouteTable.parse(List.of(
                route("/gitea/", "https://git.example.test", List.of("tea-login")),
                route("/forge/", "https://forge.example.test", "tea-login")));

        AgentSetup setup = AgentRoles.render(table, CRED_PROXY, Set.of());

        assertThat(setup.file(".config/tea/config.yml").orElseThrow().content()).isEqualTo("""
                logins:
                  - name: gitea
                    url: http://cred-proxy:9099/gitea
                    token: cred-proxy-injects-the-real-token
                    default: true
                  - name: forge
                    url: http://cred-proxy:9099/forge
                    token: cred-proxy-injects-the-real-token
                    default: false
                """);
    }

    @Test
    void noRolesNoSetup() {
        RouteTable table = RouteTable.parse(List.of(route("/gh-api/", "https://api.github.com", null)));

        AgentSetup setup = AgentRoles.render(table, CRED_PROXY, Set.of());

        assertThat(setup.environment()).isEmpty();
        assertThat(setup.files()).isEmpty();
    }
}
