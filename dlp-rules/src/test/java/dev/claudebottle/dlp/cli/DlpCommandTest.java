package dev.claudebottle.dlp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DlpCommandTest {
    private static final String TOKEN = "ghp_" + "Zq3X9vT2mLw8RkP4nYb6HcJ1sDf7GtE5aUo0";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = DlpCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Nested
    class Scan {
        @Test
        void printsJsonLineAndExitsOneWhenFound(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("config.env");
            Files.writeString(file, "# settings\nname=x\nGH=" + TOKEN + "\n");

            int exit = run("scan", file.toString());

            assertThat(exit).isEqualTo(1);
            assertThat(out.toString()).isEqualTo("{\"file\":\"" + file + "\",\"line\":3,\"column\":4,\"ruleId\":\"github-pat\","
                    + "\"description\":\"GitHub personal access token (classic)\",\"redacted\":\"ghp_…(40 chars)\",\"encoding\":\"plain\"}"
                    + System.lineSeparator());
            assertThat(out.toString() + err).doesNotContain(TOKEN);
        }

        @Test
        void walksDirectoryAndExitsZeroWhenClean(@TempDir Path dir) throws Exception {
            Files.createDirectories(dir.resolve("a/b"));
            Files.writeString(dir.resolve("a/b/Main.java"), "class Main { String password = getPassword(); }\n");
            Files.write(dir.resolve("a/blob.bin"), new byte[] {0, 1, 2, (byte) 0xff, 'g', 'h', 'p', '_'});

            int exit = run("scan", dir.toString());

            assertThat(exit).isZero();
            assertThat(out.toString()).isEmpty();
        }

        @Test
        void followsSymbolicLinksGivenAsInput(@TempDir Path dir) throws Exception {
            Path real = Files.createDirectories(dir.resolve("real"));
            Files.writeString(real.resolve("a.env"), "GH=" + TOKEN + "\n");
            Path fileLink = Files.createSymbolicLink(dir.resolve("file-link"), real.resolve("a.env"));
            Path dirLink = Files.createSymbolicLink(dir.resolve("dir-link"), real);

            int exit = run("scan", fileLink.toString(), dirLink.toString());

            assertThat(exit).isEqualTo(1);
            assertThat(out.toString()).contains("\"file\":\"" + fileLink + "\"").contains("\"file\":\"" + dirLink.resolve("a.env") + "\"");
        }

        @Test
        void skipsGitDirectory(@TempDir Path dir) throws Exception {
            Files.createDirectories(dir.resolve(".git"));
            Files.writeString(dir.resolve(".git/config"), "token: " + TOKEN + "\n");

            assertThat(run("scan", dir.toString())).isZero();
        }

        @Test
        void readsStandardInput() {
            InputStream original = System.in;
            try {
                System.setIn(new ByteArrayInputStream(("line one\nkey " + TOKEN).getBytes(StandardCharsets.UTF_8)));

                int exit = run("scan", "-");

                assertThat(exit).isEqualTo(1);
                assertThat(out.toString()).contains("\"file\":\"-\",\"line\":2,\"column\":5");
            } finally {
                System.setIn(original);
            }
        }

        @Test
        void reportsLineNumbersPastManyChunks(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("big.txt");
            String filler = ("z".repeat(79) + "\n").repeat(20_000);
            Files.writeString(file, filler + "  " + TOKEN + "\n" + filler);

            int exit = run("scan", file.toString());

            assertThat(exit).isEqualTo(1);
            assertThat(out.toString()).contains("\"line\":20001,\"column\":3");
        }

        @Test
        void missingFileExitsTwoWithMessage(@TempDir Path dir) {
            int exit = run("scan", dir.resolve("nope.txt").toString());

            assertThat(exit).isEqualTo(2);
            assertThat(err.toString()).contains("nope.txt: no such file or directory").doesNotContain("at dev.");
        }

        @Test
        void badRuleFileExitsTwo(@TempDir Path dir) throws Exception {
            Path rules = dir.resolve("rules.yaml");
            Files.writeString(rules, "version: 1\nrules:\n  - id: x\n    description: d\n    regex: '('\n    keywords: [ab]\n");

            int exit = run("scan", "--rules", rules.toString(), rules.toString());

            assertThat(exit).isEqualTo(2);
            assertThat(err.toString()).contains(rules.toString()).contains("rule 'x'").contains("invalid regex");
        }

        @Test
        void unknownOptionExitsTwo() {
            assertThat(run("scan", "--nope", "x")).isEqualTo(2);
            assertThat(err.toString()).contains("Unknown option");
        }

        @Test
        void missingCommandExitsTwo() {
            assertThat(run()).isEqualTo(2);
        }
    }

    @Test
    void rulesListsEveryRule() {
        int exit = run("rules");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("github-pat").contains("pem-private-key").containsPattern("\\d+ rules");
    }

    @Test
    void exportGitleaksPrintsToml(@TempDir Path dir) throws Exception {
        assertThat(run("export-gitleaks")).isZero();
        assertThat(out.toString()).contains("[extend]\nuseDefault = true").contains("id = \"github-pat\"");

        Path target = dir.resolve("gitleaks.toml");
        assertThat(run("export-gitleaks", "-o", target.toString())).isZero();
        assertThat(Files.readString(target)).isEqualTo(out.toString());
    }
}
