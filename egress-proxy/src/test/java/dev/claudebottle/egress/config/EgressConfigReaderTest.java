package dev.claudebottle.egress.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebottle.egress.EgressConfig;
import dev.claudebottle.egress.EgressProxyException;

class EgressConfigReaderTest {

    @TempDir
    Path dir;

    @Test
    void issueExampleParses() throws Exception {
        Path file = dir.resolve("egress.yaml");
        Files.writeString(file, """
                listen: 127.0.0.1:8888
                allowlist:
                  - host: api.anthropic.com
                  - host: "*.githubusercontent.com"
                  - host: origin.test
                    ports: [8443]
                    allow_private: true
                resolve:
                  origin.test: 127.0.0.1
                upstream_ca: [/path/to/extra-ca.pem]
                ca:
                  cert_out: bottle-ca.pem
                audit_log: /path/to/audit.jsonl
                """);

        EgressConfig config = EgressConfig.load(file);

        assertThat(config.listen().getPort()).isEqualTo(8888);
        assertThat(config.allowlist()).containsExactly(
                new AllowRule("api.anthropic.com", List.of(), false),
                new AllowRule("*.githubusercontent.com", List.of(), false),
                new AllowRule("origin.test", List.of(8443), true));
        assertThat(config.resolve().get("origin.test")).hasSize(1);
        assertThat(config.caCertOut()).isEqualTo(dir.resolve("bottle-ca.pem"));
        assertThat(config.dlp()).isEqualTo(DlpSettings.DEFAULTS);
    }

    @Test
    void hintsParseAndDefaultPerKey() {
        EgressConfig config = EgressConfig.parse("""
                allowlist: [{host: a.test}]
                hints:
                  access: Ask the platform team to allowlist the host.
                """, "inline.yaml");

        assertThat(config.hints().access()).isEqualTo("Ask the platform team to allowlist the host.");
        assertThat(config.hints().secret()).isEqualTo(RefusalHints.DEFAULTS.secret());
    }

    @Test
    void unknownHintKeyFails() {
        assertThatThrownBy(() -> EgressConfig.parse("""
                allowlist: [{host: a.test}]
                hints: {acces: x}
                """, "inline.yaml"))
                .isInstanceOf(EgressProxyException.class)
                .hasMessageContaining("acces")
                .hasMessageContaining("access");
    }

    @Test
    void dlpLimitsAndCredentialsParse() {
        EgressConfig config = EgressConfig.parse("""
                allowlist: [{host: a.test}]
                dlp: {action: warn, max_scanned_body: 2MiB, past_max: pass, max_decoded_body: 8MiB}
                limits: {max_connections: 10, header_timeout: 500ms, idle_timeout: 2m}
                credentials:
                  - name: gh
                    host: API.GitHub.com
                    value_env: GH_TOKEN
                """, "inline.yaml");

        assertThat(config.dlp()).isEqualTo(new DlpSettings(true, DlpSettings.Action.WARN, 2 << 20,
                DlpSettings.PastMax.PASS, 8 << 20));
        assertThat(config.limits().maxConnections()).isEqualTo(10);
        assertThat(config.limits().headerTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.limits().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.credentials().get(0).host()).isEqualTo("api.github.com");
    }

    @Test
    void unknownKeySuggestsTheClosest() {
        assertThatThrownBy(() -> EgressConfig.parse("allowlist: []\naudit_lgo: x\n", "c.yaml"))
                .isInstanceOf(EgressProxyException.class)
                .hasMessage("c.yaml:2:1: unknown key 'audit_lgo' in the config (did you mean 'audit_log'?)");
    }

    @Test
    void unknownNestedKeyNamesItsPlace() {
        assertThatThrownBy(() -> EgressConfig.parse("allowlist:\n  - host: a.test\n    port: [1]\n", "c.yaml"))
                .hasMessageContaining("c.yaml:3:5").hasMessageContaining("did you mean 'ports'?");
    }

    @Test
    void inlineCredentialValueIsRejected() {
        assertThatThrownBy(() -> EgressConfig.parse("""
                credentials:
                  - name: gh
                    host: api.github.com
                    value: ghp_notreal
                """, "c.yaml"))
                .hasMessageContaining("never written in the config")
                .hasMessageNotContaining("ghp_notreal");
    }

    @Test
    void badValuesNameKeyAndFix() {
        assertThatThrownBy(() -> EgressConfig.parse("dlp: {action: drop}", "c.yaml"))
                .hasMessageContaining("dlp.action 'drop' must be one of block, warn");
        assertThatThrownBy(() -> EgressConfig.parse("allowlist: [{host: 'a.*.test'}]", "c.yaml"))
                .hasMessageContaining("'*.example.com'");
        assertThatThrownBy(() -> EgressConfig.parse("listen: 127.0.0.1", "c.yaml"))
                .hasMessageContaining("must be host:port");
        assertThatThrownBy(() -> EgressConfig.parse("resolve: {a.test: not-an-ip}", "c.yaml"))
                .hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> EgressConfig.parse("limits: {header_timeout: soon}", "c.yaml"))
                .hasMessageContaining("must be a duration");
    }

    @Test
    void emptyFileIsRejected() {
        assertThatThrownBy(() -> EgressConfig.parse("", "c.yaml")).hasMessageContaining("empty");
    }
}
