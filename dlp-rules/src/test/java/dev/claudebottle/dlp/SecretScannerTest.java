package dev.claudebottle.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretScannerTest {
    private static final String GITHUB_TOKEN = "ghp_" + "Zq3X9vT2mLw8RkP4nYb6HcJ1sDf7GtE5aUo0";

    private final SecretScanner scanner = SecretScanner.withBuiltInRules();

    @Test
    void findsPlainToken() {
        List<Finding> findings = scanner.scan("token: " + GITHUB_TOKEN + "\n");

        assertThat(findings).extracting(Finding::ruleId).containsExactly("github-pat");
        assertThat(findings.get(0).start()).isEqualTo(7);
        assertThat(findings.get(0).end()).isEqualTo(7 + GITHUB_TOKEN.length());
        assertThat(findings.get(0).redacted()).isEqualTo("ghp_…(40 chars)");
    }

    @Test
    void reportsCharOffsetsForNonAsciiText() {
        String text = "clé 🔑: " + GITHUB_TOKEN;

        List<Finding> findings = scanner.scan(text);

        assertThat(findings).hasSize(1);
        assertThat(text.substring((int) findings.get(0).start(), (int) findings.get(0).end())).isEqualTo(GITHUB_TOKEN);
    }

    @Test
    void ignoresDocumentedExample() {
        assertThat(scanner.scan("aws_access_key_id = AKIAIOSFODNN7EXAMPLE")).isEmpty();
    }

    @Test
    void findsLiteral() {
        SecretScanner withLiteral = SecretScanner.builder()
                .literal("injected-token", "token injected by cred-proxy", "s3cr3t-V4lue-xyz".getBytes(StandardCharsets.UTF_8))
                .build();

        List<Finding> findings = withLiteral.scan("x=s3cr3t-V4lue-xyz&y");

        assertThat(findings).extracting(Finding::ruleId).containsExactly("injected-token");
        assertThat(findings.get(0).start()).isEqualTo(2);
    }
}
