package dev.claudebottle.bundle.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.bundle.BundleConfig;
import dev.claudebottle.supervise.EgressSnapshot;
import org.junit.jupiter.api.Test;

class SuperviseSnapshotTest {

    @Test
    void snapshotListsHostsAndRoutesWithoutTokens() {
        BundleConfig config = BundleConfig.parse("""
                bottle: b
                egress:
                  allowlist:
                    - api.anthropic.com
                    - host: registry.example.test
                      ports: [8443]
                cred_proxy:
                  routes:
                    - path: /anthropic/
                      upstream: https://api.anthropic.com
                      auth_scheme: Bearer
                      token_ref: CLAUDE_BOTTLE_OAUTH_TOKEN
                      role: anthropic-base-url
                """, "bundle.yaml");

        EgressSnapshot snapshot = SuperviseService.snapshot(config);

        assertThat(snapshot.allowedHosts()).containsExactly("api.anthropic.com", "registry.example.test:8443");
        assertThat(snapshot.routes()).singleElement().satisfies(route -> {
            assertThat(route.path()).isEqualTo("/anthropic/");
            assertThat(route.upstream()).isEqualTo("https://api.anthropic.com");
            assertThat(route.authScheme()).isEqualTo("Bearer");
            assertThat(route.tokenRef()).isEqualTo("CLAUDE_BOTTLE_OAUTH_TOKEN");
            assertThat(route.role()).isEqualTo("anthropic-base-url");
        });
    }
}
