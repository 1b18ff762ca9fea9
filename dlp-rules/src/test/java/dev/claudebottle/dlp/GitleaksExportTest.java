package dev.claudebottle.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitleaksExportTest {

    @Nested
    class Translation {
        @Test
        void acceptsRe2CompatibleRegex() {
            assertThat(GitleaksExport.untranslatable("ghp_[0-9A-Za-z]{36}\\b")).isNull();
            assertThat(GitleaksExport.untranslatable("[(?=x)]\\(?!")).isNull();
        }

        @Test
        void rejectsJavaOnlyConstructs() {
            assertThat(GitleaksExport.untranslatable("a(?=b)")).isEqualTo("lookahead");
            assertThat(GitleaksExport.untranslatable("(?<!x)a")).isEqualTo("lookbehind");
            assertThat(GitleaksExport.untranslatable("(a)\\1")).isEqualTo("backreference");
            assertThat(GitleaksExport.untranslatable("a++")).isEqualTo("possessive quantifier");
            assertThat(GitleaksExport.untranslatable("(?>ab)")).isEqualTo("atomic group");
            assertThat(GitleaksExport.untranslatable("[a-z&&[^b]]")).isEqualTo("character class intersection (&&)");
        }

        @Test
        void skipsUntranslatableRuleAndSaysWhy() {
            Rule lookahead = new Rule("with-lookahead", "test rule", "tok_(?=[0-9])[0-9a-f]{8}", 0, List.of("tok_"), 0,
                    Set.of(), List.of(), 32);
            Rule plain = new Rule("plain", "test rule", "tok_[0-9a-f]{8}", 0, List.of("tok_"), 0, Set.of(), List.of(), 32);

            GitleaksExport export = GitleaksExport.of(RuleSet.of(List.of(lookahead, plain)));

            assertThat(export.exported()).containsExactly("plain");
            assertThat(export.skipped()).containsExactly(new GitleaksExport.Skipped("with-lookahead", "lookahead"));
            assertThat(export.toml()).contains("#   with-lookahead: lookahead").contains("[extend]\nuseDefault = true");
        }

        @Test
        void builtInRulesAllTranslate() {
            assertThat(GitleaksExport.of(RuleSet.builtIn()).skipped()).isEmpty();
        }
    }

    /** Runs the installed gitleaks with the exported config on files holding every rule's positive sample. */
    @Nested
    @Tag("gitleaks")
    class WithGitleaksBinary {
        /** One finding object of the JSON report; gitleaks 8.16 nests no object inside it. */
        private static final Pattern REPORT_ENTRY = Pattern.compile("\\{[^{}]*\\}");
        private static final Pattern RULE_ID = Pattern.compile("\"RuleID\":\\s*\"([^\"]+)\"");
        private static final Pattern START_LINE = Pattern.compile("\"StartLine\":\\s*(\\d+)");
        private static final Pattern FILE = Pattern.compile("\"File\":\\s*\"([^\"]+)\"");

        @Test
        void gitleaksFindsWhatScannerFinds(@TempDir Path dir) throws Exception {
            Path gitleaks = findOnPath("gitleaks");
            assumeTrue(gitleaks != null, "gitleaks is not on PATH; install Debian's gitleaks package");
            Path source = Files.createDirectories(dir.resolve("src"));
            Set<String> expected = new HashSet<>();
            SecretScanner scanner = SecretScanner.withBuiltInRules();
            for (RuleSamplesTest.Sample sample : RuleSamplesTest.samples()) {
                String text = "header line\n" + sample.positive() + "\n";
                Path file = source.resolve(sample.ruleId() + ".txt");
                Files.writeString(file, text);
                for (Finding finding : scanner.scan(text)) {
                    expected.add(file.getFileName() + ":" + lineOf(text, finding.start()) + ":" + finding.ruleId());
                }
            }
            Path config = dir.resolve("gitleaks.toml");
            Files.writeString(config, GitleaksExport.of(RuleSet.builtIn()).toml());
            Path report = dir.resolve("report.json");

            Process process = new ProcessBuilder(gitleaks.toString(), "detect", "--no-git", "--no-banner",
                    "--source", source.toString(), "--config", config.toString(),
                    "--report-format", "json", "--report-path", report.toString(), "--exit-code", "1")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("gitleaks.log").toFile())
                    .start();
            boolean exited = process.waitFor(120, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }

            assertThat(exited).as("gitleaks finished within 120 s").isTrue();
            assertThat(process.exitValue()).as("gitleaks exit code (1 = leaks found); log: %s",
                    Files.readString(dir.resolve("gitleaks.log"))).isEqualTo(1);
            Set<String> reported = new HashSet<>();
            Matcher entry = REPORT_ENTRY.matcher(Files.readString(report, StandardCharsets.UTF_8));
            while (entry.find()) {
                String object = entry.group();
                reported.add(Path.of(field(FILE, object)).getFileName() + ":" + field(START_LINE, object) + ":" + field(RULE_ID, object));
            }
            assertThat(expected).hasSizeGreaterThanOrEqualTo(RuleSet.builtIn().rules().size());
            assertThat(reported).containsAll(expected);
        }

        private static String field(Pattern pattern, String object) {
            Matcher matcher = pattern.matcher(object);
            return matcher.find() ? matcher.group(1) : "?";
        }

        private static long lineOf(String text, long offset) {
            return 1 + text.substring(0, (int) offset).chars().filter(c -> c == '\n').count();
        }

        private static Path findOnPath(String name) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
            return null;
        }
    }
}
