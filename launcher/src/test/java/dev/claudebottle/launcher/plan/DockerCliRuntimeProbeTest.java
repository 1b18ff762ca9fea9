package dev.claudebottle.launcher.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("docker")
class DockerCliRuntimeProbeTest {

    @Test
    void asksTheRunningEngine() throws Exception {
        assumeTrue(dockerAnswers(), "needs the docker command and a running Docker engine");

        ContainerRuntime runtime = new DockerCliRuntimeProbe().choose();

        assertThat(runtime.name()).isIn(ContainerRuntime.GVISOR, ContainerRuntime.DEFAULT);
        assertThat(runtime.reason()).doesNotContain("not reachable").doesNotContain("not available");
    }

    private static boolean dockerAnswers() throws InterruptedException {
        try {
            Process process = new ProcessBuilder("docker", "version", "--format", "{{.Server.Version}}")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
