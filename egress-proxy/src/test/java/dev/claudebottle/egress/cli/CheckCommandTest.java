package dev.claudebottle.egress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {

    @TempDir
    Path dir;

    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeConfig() throws Exception {
        config = dir.resolve("egress.yaml");
        Files.writeString(config, """
                allowlist:
                  - host: "*.example.test"
                  - host: meta.test
                resolve:
                  meta.test: 169.254.169.254
                """);
    }

    private int run(String... args) {
        CommandLine cli = EgressProxyMain.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void allowedUrlExitsZero() {
        int code = run("check", "--config", config.toString(), "--url", "https://api.example.test/v1");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("allowed by entry *.example.test").contains("decision:  ALLOWED");
    }

    @Test
    void apexOfWildcardIsExplained() {
        int code = run("check", "--config", config.toString(), "--url", "https://example.test/");

        assertThat(code).isEqualTo(CheckCommand.REFUSED);
        assertThat(out.toString()).contains("covers subdomains of example.test but not the name itself");
    }

    @Test
    void pinnedMetadataAddressIsRefused() {
        int code = run("check", "--config", config.toString(), "--url", "http://meta.test/latest");

        assertThat(code).isEqualTo(CheckCommand.REFUSED);
        assertThat(out.toString()).contains("rule:      private_address");
    }

    @Test
    void bodyWithSecretIsRefusedAndRedacted() throws Exception {
        Path body = dir.resolve("body.txt");
        String token = "ghp_" + "Xk7Qp2Lm9Rt4Vw8Yz3Bn6Cd1Fg5Hj0Ks2Ty7";
        Files.writeString(body, "x".repeat(100_000) + token);

        int code = run("check", "--config", config.toString(), "--url", "https://api.example.test/",
                "--body", body.toString());

        assertThat(code).isEqualTo(CheckCommand.REFUSED);
        assertThat(out.toString()).contains("dlp:github-pat").doesNotContain(token);
    }

    @Test
    void badConfigExitsTwoWithMessage() throws Exception {
        Files.writeString(config, "allowlist: []\nlisten_on: x\n");

        int code = run("check", "--config", config.toString(), "--url", "https://a.test/");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("unknown key 'listen_on'").contains("did you mean 'listen'?");
    }

    @Test
    void urlWithoutSchemeIsUsageError() {
        int code = run("check", "--config", config.toString(), "--url", "api.example.test");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--url 'api.example.test' is not an http:// or https:// URL")
                .contains("https://api.example.test/");
        assertThat(out.toString()).doesNotContain("decision");
    }

    @Test
    void missingBodyFileIsUsageError() {
        int code = run("check", "--config", config.toString(), "--url", "https://api.example.test/",
                "--body", config.resolveSibling("nope.txt").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("nope.txt cannot be read: it does not exist");
        assertThat(err.toString()).doesNotContain("unexpected error");
    }
}
