package dev.claudebottle.launcher.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("docker")
class ContainerExecTest {

    private static DockerEngine engine;
    private static String runId;
    private static String containerId;

    @BeforeAll
    static void startContainer() {
        engine = DockerTestSupport.engineOrSkip();
        runId = DockerTestSupport.newRunId();
        containerId = engine.client().createContainerCmd(DockerTestSupport.BASE_IMAGE)
                .withCmd("sleep", "infinity")
                .withLabels(DockerTestSupport.labels(runId))
                .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig().withInit(true))
                .exec().getId();
        engine.client().startContainerCmd(containerId).exec();
    }

    @AfterAll
    static void removeContainer() {
        if (engine != null) {
            DockerTestSupport.removeAll(engine.client(), runId);
            engine.close();
        }
    }

    @Test
    void stdinReachesCommandAndEnds() throws Exception {
        ContainerExec exec = new ContainerExec(engine.client());

        ExecResult result = exec.run(containerId, "root", List.of("sh", "-c", "cat; echo done >&2; exit 3"),
                "hello over stdin\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(20));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("hello over stdin\n");
        assertThat(result.stderr()).isEqualTo("done\n");
    }

    @Test
    void scriptOverStdinRunsWithoutArgv() throws Exception {
        ContainerExec exec = new ContainerExec(engine.client());

        ExecResult result = exec.run(containerId, "root", List.of("sh", "-s"),
                "echo from-script; cat /proc/self/cmdline | tr '\\0' ' '\n".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(20));

        assertThat(result.stdout()).startsWith("from-script\n").doesNotContain("echo from-script");
    }

    @Test
    void commandPastTimeoutThrows() {
        ContainerExec exec = new ContainerExec(engine.client());

        assertThatThrownBy(() -> exec.run(containerId, "root", List.of("sleep", "30"), null, Duration.ofMillis(500)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("sleep");
    }

    @Test
    void streamForwardsOutputAndExitCode() throws Exception {
        ContainerExec exec = new ContainerExec(engine.client());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = exec.stream(containerId, "root", List.of("sh", "-c", "pwd; cat; echo oops >&2; exit 7"), "/tmp", List.of(),
                "in\n".getBytes(StandardCharsets.UTF_8), out, err);

        assertThat(code).isEqualTo(7);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("/tmp\nin\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("oops\n");
    }
}
