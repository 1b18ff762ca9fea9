package dev.claudebottle.launcher.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.claudebottle.supervise.queue.QueuedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approves an egress request for a real bundle container (egress-proxy only, with no network) and
 * checks that its next CONNECT passes the allowlist without a restart. The probe host is pinned to
 * 127.0.0.1, so after the approval the private-address guard refuses it without connecting anywhere:
 * the change of rule shows the reload took effect.
 */
@Tag("docker")
class LiveReloadDockerTest {

    private static final String IMAGE = "claude-bottle/bundle:latest";
    private static final String TEST_LABEL = "dev.claudebottle.test";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PROBE = "exec 3<>/dev/tcp/127.0.0.1/8888; "
            + "printf 'CONNECT probe.example.test:443 HTTP/1.1\\r\\nHost: probe.example.test:443\\r\\n\\r\\n' >&3; "
            + "timeout 5 head -c 4000 <&3";

    @TempDir
    Path stateRoot;

    private final String identity = "reload-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
            .substring(0, 5);
    private String container;

    @BeforeEach
    void requireBundleImage() throws IOException, InterruptedException {
        assumeTrue(docker("info", "--format", "{{.ServerVersion}}").exitCode == 0, "no Docker engine answers `docker info`");
        assumeTrue(docker("image", "inspect", IMAGE).exitCode == 0, "the image " + IMAGE
                + " is missing; scripts/build-images.sh builds it");
    }

    @AfterEach
    void removeBundle() throws IOException, InterruptedException {
        if (container != null) {
            docker("rm", "-f", container);
        }
    }

    @Test
    void approvedHostPassesAllowlistWithoutRestart() throws Exception {
        BottleFixture fixture = new BottleFixture(stateRoot);
        BottleState bottle = fixture.bottle(identity);
        Files.writeString(bottle.bundleConfig(), """
                # Rendered for the dashboard's live reload test.
                bottle: %s
                secrets_timeout_seconds: 0
                egress:
                  listen: 0.0.0.0:8888
                  allowlist:
                  - host: api.anthropic.com
                  resolve:
                    probe.example.test: 127.0.0.1
                  audit_log: /state/audit/egress.jsonl
                """.formatted(identity));
        startBundle(bottle);
        assertThat(probe()).contains("403").contains("not_allowlisted");
        QueuedRequest request = fixture.egress(bottle, "https://probe.example.test/v1");
        Dashboard dashboard = new Dashboard(BottleDirectory.of(stateRoot), DockerCliBottleControl.onPath(), Map.of(),
                Clock.systemUTC());

        Dashboard.Outcome outcome = dashboard.approve(request.id(), null);

        assertThat(outcome.messages()).singleElement().asString().contains("now");
        String after = awaitProbe("private_address");
        assertThat(after).contains("403").doesNotContain("not_allowlisted");
        assertThat(docker("inspect", "--format", "{{.RestartCount}} {{.State.Running}}", container).output.strip())
                .isEqualTo("0 true");
    }

    private void startBundle(BottleState bottle) throws Exception {
        int uid = (Integer) Files.getAttribute(stateRoot, "unix:uid");
        Result run = docker("run", "-d", "--network", "none", "--user", uid + ":" + uid,
                "--name", identity + "-bundle",
                "--label", DockerCliBottleControl.IDENTITY_LABEL + "=" + identity,
                "--label", DockerCliBottleControl.ROLE_LABEL + "=bundle",
                "--label", DockerCliBottleControl.AGENT_LABEL + "=reload",
                "--label", TEST_LABEL + "=" + identity,
                "--tmpfs", "/run/claude-bottle:rw,nosuid,nodev,size=16m,mode=0700,uid=" + uid + ",gid=" + uid,
                "--tmpfs", "/tmp:rw,nosuid,nodev,size=64m,mode=1777",
                "-v", bottle.bundleConfig() + ":/etc/claude-bottle/bundle.yaml:ro",
                "-v", bottle.bundleMount() + ":/state:rw", IMAGE);
        assertThat(run.exitCode).as(run.output).isZero();
        container = run.output.strip();
        awaitReady();
    }

    /** Polls the bundle's readiness file; the container offers no event to await. */
    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (docker("exec", container, "test", "-f", "/run/claude-bottle/ready").exitCode == 0) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("the bundle did not become ready within " + TIMEOUT.toSeconds() + " s; its log:\n"
                + docker("logs", "--tail", "30", container).output);
    }

    private String probe() throws IOException, InterruptedException {
        return docker("exec", container, "bash", "-c", PROBE).output;
    }

    /** Probes until the answer names {@code rule}, because the bundle reloads after SIGHUP on its own thread. */
    private String awaitProbe(String rule) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            last = probe();
            if (last.contains(rule)) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("no answer with rule " + rule + " within " + TIMEOUT.toSeconds() + " s; the last was:\n"
                + last + "\nthe bundle's log:\n" + docker("logs", "--tail", "30", container).output);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result docker(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, "docker client missing: " + e.getMessage());
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "docker " + String.join(" ", arguments) + " timed out");
        }
        return new Result(process.exitValue(), output);
    }
}
