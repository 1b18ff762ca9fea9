package dev.claudebottle.launcher.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link DockerCliBottleControl} against the real engine, with a stand-in bundle: a small
 * container labelled like a bottle's bundle whose shell records each SIGHUP in a bind-mounted file.
 */
@Tag("docker")
class DockerCliBottleControlTest {

    private static final String IMAGE = "debian:trixie-slim";
    private static final String TEST_LABEL = "dev.claudebottle.test";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path shared;

    private final String identity = "dashtest-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
            .substring(0, 5);
    private final String runId = identity + "-run";
    private final DockerCliBottleControl control = DockerCliBottleControl.onPath();

    @BeforeEach
    void requireEngine() throws IOException, InterruptedException {
        assumeTrue(docker("info", "--format", "{{.ServerVersion}}").exitCode == 0, "no Docker engine answers `docker info`");
        assumeTrue(docker("image", "inspect", IMAGE).exitCode == 0, "the image " + IMAGE + " is missing; "
                + "scripts/prepare-machine.sh base-image makes it");
    }

    @AfterEach
    void removeContainers() throws IOException, InterruptedException {
        Result ids = docker("ps", "-aq", "--filter", "label=" + TEST_LABEL + "=" + runId);
        for (String id : ids.output.lines().filter(line -> !line.isBlank()).toList()) {
            docker("rm", "-f", id);
        }
    }

    @Test
    void reloadSendsSighupToBundle() throws Exception {
        startStandIn("bundle");

        assertThat(control.bundleRunning(identity)).isTrue();
        control.reloadBundle(identity);

        awaitFile(shared.resolve("hups"), "hup");
    }

    @Test
    void runningListsBottleWithAgent() throws Exception {
        startStandIn("bundle");

        assertThat(control.running()).filteredOn(bottle -> bottle.identity().equals(identity))
                .singleElement().satisfies(bottle -> {
                    assertThat(bottle.agent()).isEqualTo("dashtest");
                    assertThat(bottle.state()).startsWith("bundle Up");
                });
    }

    @Test
    void stopStopsBottleContainers() throws Exception {
        startStandIn("bundle");

        control.stop(identity);

        assertThat(control.bundleRunning(identity)).isFalse();
        assertThat(control.running()).noneMatch(bottle -> bottle.identity().equals(identity));
    }

    @Test
    void reloadWithoutBundleFailsWithResumeHint() {
        assertThat(control.bundleRunning(identity)).isFalse();

        assertThatThrownBy(() -> control.reloadBundle(identity))
                .isInstanceOf(DashboardException.class)
                .hasMessageContaining("not running")
                .hasMessageContaining("claude-bottle resume " + identity);
    }

    /** Starts a container labelled as the bottle's {@code role}, and waits until its HUP trap is set. */
    private void startStandIn(String role) throws Exception {
        int uid = (Integer) Files.getAttribute(shared, "unix:uid");
        String script = "trap 'echo hup >> /shared/hups' HUP; echo ready > /shared/ready; "
                + "while true; do sleep 0.1; done";
        Result run = docker("run", "-d", "--rm", "--user", uid + ":" + uid, "--name", identity + "-" + role,
                "--label", DockerCliBottleControl.IDENTITY_LABEL + "=" + identity,
                "--label", DockerCliBottleControl.ROLE_LABEL + "=" + role,
                "--label", DockerCliBottleControl.AGENT_LABEL + "=dashtest",
                "--label", TEST_LABEL + "=" + runId,
                "-v", shared + ":/shared", IMAGE, "sh", "-c", script);
        assertThat(run.exitCode).as(run.output).isZero();
        awaitFile(shared.resolve("ready"), "ready");
    }

    /**
     * Polls a file that the container writes through the bind mount; a file offers nothing to await,
     * so this polls with a deadline.
     */
    private static void awaitFile(Path file, String content) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(file) && Files.readString(file).contains(content)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError(file + " did not contain '" + content + "' within " + TIMEOUT.toSeconds() + " s");
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
