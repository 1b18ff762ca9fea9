package dev.claudebottle.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in rule against a made-up positive and a near-miss negative sample. */
class RuleSamplesTest {
    private static final SecretScanner SCANNER = SecretScanner.withBuiltInRules();

    record Sample(String ruleId, String positive, String negative) {
        @Override
        public String toString() {
            return ruleId;
        }
    }

    static List<Sample> samples() throws IOException {
        List<Sample> samples = new ArrayList<>();
        try (InputStream in = RuleSamplesTest.class.getResourceAsStream("rule-samples.tsv")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                samples.add(new Sample(fields[0], fields[1].replace("\\n", "\n"), fields[2].replace("\\n", "\n")));
            }
        }
        return samples;
    }

    static Stream<Sample> sampleStream() throws IOException {
        return samples().stream();
    }

    @Test
    void everyRuleHasSamples() throws IOException {
        List<String> sampled = samples().stream().map(Sample::ruleId).toList();

        assertThat(RuleSet.builtIn().rules()).extracting(Rule::id).containsExactlyInAnyOrderElementsOf(sampled);
        assertThat(sampled).hasSizeGreaterThanOrEqualTo(60);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleStream")
    void positiveSampleIsFound(Sample sample) {
        List<Finding> findings = SCANNER.scan(sample.positive());

        assertThat(findings).extracting(Finding::ruleId).contains(sample.ruleId());
        for (Finding finding : findings) {
            String secret = sample.positive().substring((int) finding.start(), (int) finding.end());
            assertThat(finding.toString()).doesNotContain(secret);
            assertThat(finding.redacted()).isEqualTo(Finding.redact(secret));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleStream")
    void negativeSampleIsNotFound(Sample sample) {
        assertThat(SCANNER.scan(sample.negative())).extracting(Finding::ruleId).doesNotContain(sample.ruleId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleStream")
    void positiveSampleIsFoundBase64Encoded(Sample sample) {
        String encoded = java.util.Base64.getEncoder().encodeToString(sample.positive().getBytes(StandardCharsets.UTF_8));

        List<Finding> findings = SCANNER.scan("payload=" + encoded + "\n");

        assertThat(findings).extracting(Finding::ruleId).contains(sample.ruleId());
        assertThat(findings).extracting(Finding::encoding).allMatch(e -> e.startsWith("base64"));
    }
}
