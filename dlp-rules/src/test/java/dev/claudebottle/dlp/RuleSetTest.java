package dev.claudebottle.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleSetTest {
    private static final String VALID_RULE = """
              - id: demo-token
                description: demo token
                regex: 'demo_[0-9a-f]{16}'
                keywords: [demo_]
            """;

    @Test
    void builtInHasAtLeastSixtyRules() {
        assertThat(RuleSet.builtIn().rules()).hasSizeGreaterThanOrEqualTo(60);
        assertThat(RuleSet.builtIn().rule("github-pat")).isNotNull();
    }

    @Test
    void loadsRuleFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, "version: 1\nrules:\n" + VALID_RULE);

        RuleSet rules = RuleSet.load(file);

        assertThat(rules.rules()).extracting(Rule::id).containsExactly("demo-token");
        assertThat(SecretScanner.builder().rules(rules).build().scan("x demo_0123456789abcdef y"))
                .extracting(Finding::ruleId).containsExactly("demo-token");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad regex        | regex: 'demo_[0-9'                          | invalid regex",
        "unknown key      | regexp: 'x'                                 | unknown key 'regexp'",
        "no keywords      | keywords: []                                | keywords are missing",
        "short keyword    | keywords: [d]                               | keyword 'd' is invalid",
        "missing group    | secretGroup: 2                              | secretGroup 2 does not exist",
        "entropy range    | entropy: 9                                  | entropy 9.0 is out of range",
        "max length range | maxLength: 5000                             | maxLength 5000 is out of range",
        "wrong type       | maxLength: long                             | 'maxLength' must be an integer",
    })
    void malformedRuleNamesFileRuleAndReason(String name, String override, String reason, @TempDir Path dir) throws Exception {
        String key = override.substring(0, override.indexOf(':'));
        String rule = VALID_RULE.lines()
                .filter(line -> !line.strip().startsWith(key + ":"))
                .reduce("", (a, b) -> a + b + "\n") + "    " + override + "\n";
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "version: 1\nrules:\n" + rule);

        assertThatThrownBy(() -> RuleSet.load(file))
                .isInstanceOf(RuleFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("rule 'demo-token'")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((RuleFileException) e).ruleId()).isEqualTo("demo-token"));
    }

    @Test
    void duplicateIdFails(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dup.yaml");
        Files.writeString(file, "version: 1\nrules:\n" + VALID_RULE + VALID_RULE);

        assertThatThrownBy(() -> RuleSet.load(file)).isInstanceOf(RuleFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("duplicate rule id 'demo-token'");
    }

    @Test
    void invalidYamlNamesLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "version: 1\nrules:\n  - id: [unclosed\n");

        assertThatThrownBy(() -> RuleSet.load(file)).isInstanceOf(RuleFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("invalid YAML").hasMessageContaining("line");
    }

    @Test
    void missingFileFails(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> RuleSet.load(file)).isInstanceOf(RuleFileException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("cannot read");
    }

    @Test
    void wrongVersionFails() {
        assertThatThrownBy(() -> RuleSet.parse("inline", "version: 2\nrules:\n" + VALID_RULE))
                .isInstanceOf(RuleFileException.class).hasMessageContaining("unsupported version 2");
    }

    @Test
    void literalErrorsNeverShowValue() {
        String value = "S3cr3tV4l";

        assertThatThrownBy(() -> SecretScanner.builder().literal("a", "d", value.getBytes()).literal("a", "d", value.getBytes()))
                .isInstanceOf(DlpException.class).hasMessageNotContaining(value).hasMessageContaining("'a'");
        assertThatThrownBy(() -> SecretScanner.builder().literal("b", "d", "short".getBytes()))
                .isInstanceOf(DlpException.class).hasMessageNotContaining("short\"").hasMessageContaining("length 5");
        assertThatThrownBy(() -> SecretScanner.builder().literal("github-pat", "d", value.getBytes()).build())
                .isInstanceOf(DlpException.class).hasMessageContaining("id of a rule");
    }
}
