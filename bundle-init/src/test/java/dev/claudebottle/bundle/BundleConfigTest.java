package dev.claudebottle.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BundleConfigTest {

    @Test
    void minimalConfigRunsEgressAndDns() {
        BundleConfig config = BundleConfig.parse("bottle: implementer-k3x9a\n", "bundle.yaml");

        assertThat(config.bottle()).isEqualTo("implementer-k3x9a");
        assertThat(config.services()).containsExactly("egress", "dns");
        assertThat(config.runDir()).isEqualTo(Path.of("/run/claude-bottle"));
        assertThat(config.secretsDir()).isEqualTo(Path.of("/run/claude-bottle/secrets"));
        assertThat(config.secretsTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void sectionsPresentSelectServicesInStartOrder() {
        BundleConfig config = BundleConfig.parse("""
                bottle: b
                supervise: {}
                git: {repos: []}
                cred_proxy: {routes: []}
                """, "bundle.yaml");

        assertThat(config.services()).containsExactly("egress", "cred-proxy", "git-gate", "supervise", "dns");
    }

    @Test
    void explicitServicesAreOrderedForDependencies() {
        BundleConfig config = BundleConfig.parse("bottle: b\nservices: [dns, cred-proxy, egress]\n", "bundle.yaml");

        assertThat(config.services()).containsExactly("egress", "cred-proxy", "dns");
    }

    @Test
    void jsonDocumentIsAccepted() {
        BundleConfig config = BundleConfig.parse("{\"bottle\": \"b\", \"services\": [\"egress\"]}", "bundle.json");

        assertThat(config.services()).containsExactly("egress");
    }

    @Test
    void unknownTopLevelKeySuggestsClosest() {
        assertThatThrownBy(() -> BundleConfig.parse("bottle: b\ncred-proxy: {}\n", "bundle.yaml"))
                .isInstanceOf(BundleConfigException.class)
                .hasMessageContaining("bundle.yaml: unknown key 'cred-proxy'")
                .hasMessageContaining("did you mean 'cred_proxy'?");
    }

    @Test
    void unknownServiceIsNamed() {
        assertThatThrownBy(() -> BundleConfig.parse("bottle: b\nservices: [egres]\n", "bundle.yaml"))
                .hasMessageContaining("unknown service 'egres'")
                .hasMessageContaining("did you mean 'egress'?");
    }

    @Test
    void missingBottleIsExplained() {
        assertThatThrownBy(() -> BundleConfig.parse("services: [egress]\n", "bundle.yaml"))
                .hasMessageContaining("'bottle' is missing");
    }

    @Test
    void duplicateKeyIsRejected() {
        assertThatThrownBy(() -> BundleConfig.parse("bottle: a\nbottle: b\n", "bundle.yaml"))
                .isInstanceOf(BundleConfigException.class)
                .hasMessageContaining("bundle.yaml");
    }

    @Test
    void sectionThatIsNotMappingIsRejected() {
        assertThatThrownBy(() -> BundleConfig.parse("bottle: b\negress: [a]\n", "bundle.yaml"))
                .hasMessageContaining("'egress' must be a mapping");
    }
}
