package dev.claudebottle.gitgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebottle.gitgate.testing.GateProcess;
import dev.claudebottle.gitgate.testing.GitCli;
import dev.claudebottle.gitgate.testing.UpstreamCommits;

/**
 * A 50 MB push through a gate whose heap is capped well below the push size, so a gate that
 * buffered the pack, the scan input or the upstream push in memory would die with
 * OutOfMemoryError ({@code -XX:+ExitOnOutOfMemoryError}).
 */
@Tag("gitleaks")
class LargePushTest {

    private static final String GATE_HEAP = "96m";

    @TempDir
    Path base;
    GateFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        Assumptions.assumeTrue(Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, "gitleaks"))),
                "gitleaks is not on PATH; install it (Debian package gitleaks) to run push tests");
        fixture = new GateFixture(base);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void fiftyMegabytePushWorksInSmallHeap() throws IOException {
        Path key = Files.write(base.resolve("id_demo"), fixture.upstream.clientPrivateKey());
        List<String> args = List.of("root=" + base.resolve("mirrors"), "gitleaksConfig=" + fixture.gitleaksConfig,
                "name=demo", "upstream=" + fixture.upstream.url("127.0.0.1", "demo"),
                "hostKey=" + fixture.upstream.hostKeyLine(), "identityFile=" + key);
        try (GateProcess gate = GateProcess.start(GATE_HEAP, base.resolve("gate.log"), args)) {
            String url = "git://127.0.0.1:" + gate.port() + "/demo.git";
            fixture.git.ok(base, "clone", "-q", url, "work");
            Path work = base.resolve("work");
            writeLargeContent(work);
            fixture.git.ok(work, "add", "-A");
            fixture.git.ok(work, "commit", "-q", "-m", "add 50 MB of assets");
            String commit = fixture.git.ok(work, "rev-parse", "HEAD").strip();

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).as(push.output() + "\ngate log:\n" + Files.readString(base.resolve("gate.log"))).isTrue();
            assertThat(gate.isAlive()).isTrue();
            assertThat(UpstreamCommits.head(fixture.upstreamRepo, "refs/heads/main").name()).isEqualTo(commit);
        }
    }

    /** Writes 8 x 6 MB of random binary data (incompressible) and 2 MB of random hex text. */
    private static void writeLargeContent(Path work) throws IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[1024 * 1024];
        for (int file = 0; file < 8; file++) {
            try (OutputStream out = Files.newOutputStream(work.resolve("asset-" + file + ".bin"))) {
                for (int mb = 0; mb < 6; mb++) {
                    random.nextBytes(chunk);
                    chunk[0] = 0;
                    out.write(chunk);
                }
            }
        }
        try (OutputStream out = Files.newOutputStream(work.resolve("data.hex"))) {
            byte[] line = new byte[32];
            for (int i = 0; i < 2 * 1024 * 1024 / 65; i++) {
                random.nextBytes(line);
                out.write((HexFormat.of().formatHex(line) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
    }
}
