package dev.claudebottle.egress.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.egress.config.CredentialBinding;
import dev.claudebottle.egress.config.DlpSettings;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InspectorTest {

    /** Made up, shaped like an Anthropic OAuth access token, so a built-in rule matches it too. */
    private static final String TOKEN = "sk-ant-oat01-" + "Qm9ndXNUb2tlbkZvclRlc3RzT25seQ".repeat(3) + "AA";

    private static Inspector inspectorBoundTo(String host) {
        return Inspector.create(DlpSettings.DEFAULTS,
                List.of(CredentialBinding.ofValue("CLAUDE_BOTTLE_OAUTH_TOKEN", TOKEN.getBytes(StandardCharsets.UTF_8),
                        host)));
    }

    private static HttpHeaders bearer(String token) {
        return new DefaultHttpHeaders().add("Authorization", "Bearer " + token);
    }

    @Test
    void boundTokenShapedLikeBuiltInRulePassesToItsHost() {
        Inspector inspector = inspectorBoundTo("api.standin.test");

        assertThat(inspector.scanHead("api.standin.test", "/v1/messages", bearer(TOKEN))).isEmpty();
    }

    @Test
    void boundTokenBlockedToOtherHost() {
        Inspector inspector = inspectorBoundTo("api.standin.test");

        assertThat(inspector.scanHead("other.example", "/", bearer(TOKEN))).isPresent();
    }

    @Test
    void otherSecretNextToBoundTokenStillFound() {
        Inspector inspector = inspectorBoundTo("api.standin.test");
        HttpHeaders headers = bearer(TOKEN).add("X-Leak", "AKIAZ7QW3RT5YU2IOP4M");

        assertThat(inspector.scanHead("api.standin.test", "/v1/messages", headers)).isPresent();
    }

    @Test
    void tokenBoundToTwoHostsPassesToBoth() {
        byte[] value = TOKEN.getBytes(StandardCharsets.UTF_8);
        Inspector inspector = Inspector.create(DlpSettings.DEFAULTS, List.of(
                CredentialBinding.ofValue("GH_PAT", value, "api.github.com"),
                CredentialBinding.ofValue("GH_PAT", value, "github.com")));

        assertThat(inspector.scanHead("api.github.com", "/user", bearer(TOKEN))).isEmpty();
        assertThat(inspector.scanHead("github.com", "/org/repo.git/info/refs", bearer(TOKEN))).isEmpty();
        assertThat(inspector.scanHead("gist.github.com", "/", bearer(TOKEN))).isPresent();
    }

    @Test
    void sameValueUnderTwoNamesSharesHosts() {
        byte[] value = TOKEN.getBytes(StandardCharsets.UTF_8);
        Inspector inspector = Inspector.create(DlpSettings.DEFAULTS, List.of(
                CredentialBinding.ofValue("NPM_TOKEN", value, "registry.npmjs.org"),
                CredentialBinding.ofValue("NPM_MIRROR_TOKEN", value, "npm.mirror.test")));

        assertThat(inspector.scanHead("npm.mirror.test", "/", bearer(TOKEN))).isEmpty();
        assertThat(inspector.scanHead("registry.npmjs.org", "/", bearer(TOKEN))).isEmpty();
        assertThat(inspector.scanHead("other.example", "/", bearer(TOKEN))).isPresent();
    }
}
