package dev.claudebottle.gitgate.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process contract with gitleaks, checked with stand-in scripts that record what they were
 * given and answer with a chosen exit code and report. The real binary is exercised by the push
 * tests.
 */
class GitleaksScannerTest {

    @TempDir
    Path dir;
    Path source;
    Path workDir;
    Path config;

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectories(dir.resolve("source"));
        workDir = Files.createDirectories(dir.resolve("work"));
        config = Files.writeString(dir.resolve("gate.toml"), "title = \"gate\"\n");
    }

    @Test
    void childGetsOnlyPathAndHome() throws IOException, ScanFailedException {
        Path envOut = dir.resolve("env.txt");
        Path argsOut = dir.resolve("args.txt");
        Path fake = script("env > '" + envOut + "'\nprintf '%s\\n' \"$@\" > '" + argsOut + "'\n" + writeReport("[]") + "exit 0\n");

        new GitleaksScanner(fake, config, Duration.ofSeconds(30)).scan(source, workDir);

        Set<String> names = Files.readAllLines(envOut).stream().map(line -> line.substring(0, line.indexOf('=')))
                .collect(Collectors.toSet());
        assertThat(names).isSubsetOf("PATH", "HOME", "PWD", "SHLVL", "OLDPWD", "_");
        List<String> args = Files.readAllLines(argsOut);
        assertThat(args).containsSubsequence("--config", config.toAbsolutePath().toString());
        assertThat(args).contains("--no-git", "--redact", "--exit-code", "42");
    }

    @Test
    void leaksExitWithReportReturnsFindings() throws IOException, ScanFailedException {
        String report = "[{\"RuleID\":\"aws-access-token\",\"File\":\"" + source.toAbsolutePath() + "/abc/message\",\"StartLine\":3}]";
        Path fake = script(writeReport(report) + "exit 42\n");

        List<GitleaksScanner.RawFinding> findings = new GitleaksScanner(fake, config, Duration.ofSeconds(30)).scan(source, workDir);

        assertThat(findings).containsExactly(new GitleaksScanner.RawFinding("aws-access-token", "abc/message", 3));
    }

    @Test
    void cleanExitWithFindingsIsFailure() throws IOException {
        Path fake = script(writeReport("[{\"RuleID\":\"x\",\"File\":\"a\",\"StartLine\":1}]") + "exit 0\n");

        assertThatThrownBy(() -> new GitleaksScanner(fake, config, Duration.ofSeconds(30)).scan(source, workDir))
                .isInstanceOf(ScanFailedException.class)
                .hasMessageContaining("contradicts its report of 1 findings");
    }

    @Test
    void leaksExitWithEmptyReportIsFailure() throws IOException {
        Path fake = script(writeReport("[]") + "exit 42\n");

        assertThatThrownBy(() -> new GitleaksScanner(fake, config, Duration.ofSeconds(30)).scan(source, workDir))
                .isInstanceOf(ScanFailedException.class)
                .hasMessageContaining("contradicts its report of 0 findings");
    }

    @Test
    void malformedReportIsFailure() throws IOException {
        Path fake = script(writeReport("{\"not\":\"a list\"}") + "exit 42\n");

        assertThatThrownBy(() -> new GitleaksScanner(fake, config, Duration.ofSeconds(30)).scan(source, workDir))
                .isInstanceOf(ScanFailedException.class)
                .hasMessageContaining("not a JSON array");
    }

    @Test
    void errorExitIsFailure() throws IOException {
        Path fake = script(writeReport("[]") + "exit 1\n");

        assertThatThrownBy(() -> new GitleaksScanner(fake, config, Duration.ofSeconds(30)).scan(source, workDir))
                .isInstanceOf(ScanFailedException.class)
                .hasMessage("gitleaks failed with exit code 1");
    }

    /** Returns shell lines that write {@code json} to the path after {@code --report-path}. */
    private static String writeReport(String json) {
        return "while [ $# -gt 0 ]; do\n  if [ \"$1\" = --report-path ]; then printf '%s' '" + json + "' > \"$2\"; fi\n  shift\ndone\n";
    }

    private Path script(String body) throws IOException {
        Path script = dir.resolve("fake-gitleaks-" + Arrays.hashCode(body.getBytes()));
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
