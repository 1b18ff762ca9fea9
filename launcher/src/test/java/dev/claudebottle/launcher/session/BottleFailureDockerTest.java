package dev.claudebottle.launcher.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.docker.DockerTestSupport;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each failure while starting removes what was created and names the cause. */
@Tag("docker")
class BottleFailureDockerTest {

    private static DockerEngine engine;

    @TempDir
    static Path scratch;

    @BeforeAll
    static void images() throws Exception {
        engine = DockerTestSupport.engineOrSkip();
        TestBottles.buildSlimAgent(engine, Files.createDirectories(scratch.resolve("slim")));
        TestBottles.buildNeverReady(engine, Files.createDirectories(scratch.resolve("never")));
        TestBottles.buildBundle(engine);
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static BottleSessionDockerTest.Run run() {
        BottleSessionDockerTest.engine = engine;
        return new BottleSessionDockerTest.Run();
    }

    @Test
    void missingBundleImageNamesImage() {
        BottlePlan plan = TestBottles.withImages(TestBottles.plan("nobundle", TestBottles.SLIM_AGENT,
                scratch.resolve("state-missing")), TestBottles.SLIM_AGENT, "claude-bottle-test/no-such-bundle:1");
        BottleSessionDockerTest.Run run = run();

        assertThatThrownBy(() -> run.start(plan, SessionOptions.command(List.of("true"))))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("claude-bottle-test/no-such-bundle:1 is missing");

        BottleSessionDockerTest.assertNothingLeft(plan);
        assertThat(plan.stateFolder()).doesNotExist();
    }

    @Test
    void neverReadyBundleTimesOutWithLog() {
        BottlePlan plan = TestBottles.withImages(TestBottles.plan("notready", TestBottles.SLIM_AGENT,
                scratch.resolve("state-never")), TestBottles.SLIM_AGENT, TestBottles.NEVER_READY);
        BottleSessionDockerTest.Run run = run();

        assertThatThrownBy(() -> run.start(plan, SessionOptions.command(List.of("true"))
                .withReadyTimeout(Duration.ofSeconds(3))))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("the bundle did not become ready")
                .hasMessageContaining("within 3 s");

        assertThat(run.messages.toString()).contains("it never writes the ready file");
        BottleSessionDockerTest.assertNothingLeft(plan);
        assertThat(plan.stateFolder()).doesNotExist();
    }

    @Test
    void missingBundleNetworkIsNamed() {
        BottlePlan plan = TestBottles.plan("nonet", TestBottles.SLIM_AGENT, scratch.resolve("state-nonet"));
        BottleSessionDockerTest.Run run = run();

        assertThatThrownBy(() -> run.start(plan, SessionOptions.command(List.of("true"))
                .withExtraNetworks(List.of("claude-bottle-test-no-such-network"))))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("--bundle-network claude-bottle-test-no-such-network")
                .hasMessageContaining("docker network ls");

        BottleSessionDockerTest.assertNothingLeft(plan);
        assertThat(plan.stateFolder()).doesNotExist();
    }

    @Test
    void failingProvisioningStepIsNamed() {
        // The slim image has no claude, so registering supervise fails.
        BottlePlan plan = TestBottles.withSupervise(TestBottles.plan("noclaude", TestBottles.SLIM_AGENT,
                scratch.resolve("state-provision")));
        BottleSessionDockerTest.Run run = run();

        assertThatThrownBy(() -> run.start(plan, SessionOptions.command(List.of("true"))))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("provisioning step 'supervise registration' failed")
                .hasMessageContaining("claude");

        BottleSessionDockerTest.assertNothingLeft(plan);
        assertThat(plan.stateFolder()).doesNotExist();
    }

    @Test
    void nameConflictReportsEngineMessage() {
        BottlePlan plan = TestBottles.plan("conflict", TestBottles.SLIM_AGENT, scratch.resolve("state-conflict"));
        String squatter = engine.client().createNetworkCmd().withName(plan.identity() + "-internal")
                .withLabels(java.util.Map.of(DockerTestSupport.TEST_LABEL, "conflict")).exec().getId();
        try {
            BottleSessionDockerTest.Run run = run();

            assertThatThrownBy(() -> run.start(plan, SessionOptions.command(List.of("true"))))
                    .isInstanceOf(LauncherException.class)
                    .hasMessageContaining("cannot create the network " + plan.identity() + "-internal")
                    .hasMessageContaining("the engine answered 409");

            assertThat(plan.stateFolder()).doesNotExist();
        } finally {
            engine.client().removeNetworkCmd(squatter).exec();
        }
        BottleSessionDockerTest.assertNothingLeft(plan);
    }
}
