package dev.claudebottle.credproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.credproxy.route.RouteTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenBindingTest {

    private static Map<String, Object> route(String path, String upstream, String tokenRef) {
        return Map.of("path", path, "upstream", upstream, "token_ref", tokenRef);
    }

    private final RouteTable routes = RouteTable.parse(List.of(
            route("/gh-api/", "https://api.github.com", "GH_PAT"),
            route("/gh-git/", "https://GitHub.com", "GH_PAT"),
            route("/npm/", "https://registry.npmjs.org", "NPM_TOKEN"),
            route("/other/", "https://other.example.test", "UNSET")));

    @Test
    void sharedTokenGetsBindingPerHost() {
        List<TokenBinding> bindings = TokenBinding.of(routes,
                TokenSource.of(Map.of("GH_PAT", "ghp_made_up_value_1", "NPM_TOKEN", "npm_made_up_value_2")));

        assertThat(bindings).extracting(TokenBinding::tokenRef).containsExactly("GH_PAT", "GH_PAT", "NPM_TOKEN");
        assertThat(bindings).extracting(TokenBinding::host)
                .containsExactly("api.github.com", "github.com", "registry.npmjs.org");
    }

    @Test
    void missingTokenYieldsNoBinding() {
        assertThat(TokenBinding.of(routes, TokenSource.of(Map.of()))).isEmpty();
    }

    @Test
    void toStringHidesValue() {
        TokenBinding binding = TokenBinding.of(routes, TokenSource.of(Map.of("GH_PAT", "ghp_made_up_value_1"))).get(0);

        assertThat(binding.toString()).doesNotContain("ghp_made_up_value_1").contains("GH_PAT");
    }
}
