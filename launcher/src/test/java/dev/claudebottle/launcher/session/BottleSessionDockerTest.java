package dev.claudebottle.launcher.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.launcher.docker.BottleLabels;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.docker.DockerTestSupport;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("docker")
class BottleSessionDockerTest {

    static DockerEngine engine;

    @TempDir
    static Path scratch;

    @BeforeAll
    static void images() throws Exception {
        engine = DockerTestSupport.engineOrSkip();
        TestBottles.buildSlimAgent(engine, Files.createDirectories(scratch.resolve("slim")));
        TestBottles.buildBundle(engine);
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    static final class Run {
        final StringWriter messages = new StringWriter();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        BottleSession session;

        int start(BottlePlan plan, SessionOptions options) {
            session = new BottleSession(engine, plan, options, Map.of(), prompt -> "typed", new PrintWriter(messages,
                    true), out, err);
            return session.run();
        }

        String stdout() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    static void assertNothingLeft(BottlePlan plan) {
        var client = engine.client();
        assertThat(client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(BottleLabels.IDENTITY, plan.identity())).exec()).isEmpty();
        assertThat(client.listNetworksCmd().withFilter("label", List.of(BottleLabels.IDENTITY + "=" + plan.identity()))
                .exec()).isEmpty();
    }

    @Test
    void trueExitsZeroAndLeavesNothing() {
        BottlePlan plan = TestBottles.plan("quick", TestBottles.SLIM_AGENT, scratch.resolve("state1"));
        Run run = new Run();

        int code = run.start(plan, SessionOptions.command(List.of("true")));

        assertThat(code).as(run.messages.toString()).isZero();
        assertNothingLeft(plan);
        assertThat(plan.stateFolder()).doesNotExist();
        assertThat(run.session.timings()).isPresent();
    }

    @Test
    void failingCommandKeepsStateForResume() throws Exception {
        BottlePlan plan = TestBottles.plan("keeper", TestBottles.SLIM_AGENT, scratch.resolve("state2"));
        Run run = new Run();

        int code = run.start(plan, SessionOptions.command(List.of("sh", "-c",
                "mkdir -p ~/.claude/projects && echo remembered > ~/.claude/projects/note; echo out; exit 7")));

        assertThat(code).isEqualTo(7);
        assertThat(run.stdout()).isEqualTo("out\n");
        assertNothingLeft(plan);
        assertThat(plan.stateFolder().resolve(StateDirectory.PRESERVE)).exists();
        assertThat(plan.stateFolder().resolve("claude-home/.claude/projects/note")).hasContent("remembered");
        assertThat(run.messages.toString()).contains("resume " + plan.identity());

        Run resumed = new Run();
        int again = resumed.start(plan, SessionOptions.command(List.of("cat", "/home/agent/.claude/projects/note"))
                .asResume());

        assertThat(again).as(resumed.messages.toString()).isZero();
        assertThat(resumed.stdout()).isEqualTo("remembered\n");
        assertThat(plan.stateFolder()).doesNotExist();
        assertNothingLeft(plan);
    }

    @Test
    void workingTreeIsCopiedIntoWorkspace() throws Exception {
        Path tree = Files.createDirectories(scratch.resolve("tree"));
        Files.writeString(tree.resolve("README.md"), "hello from the host\n");
        BottlePlan plan = TestBottles.plan("copier", TestBottles.SLIM_AGENT, scratch.resolve("state3"));
        Run run = new Run();

        int code = run.start(plan, SessionOptions.command(List.of("sh", "-c", "pwd; cat README.md; stat -c %U README.md"))
                .withWorkingTree(tree));

        assertThat(code).as(run.messages.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("/home/agent/workspace\nhello from the host\nagent\n");
    }

    @Test
    void stoppedBottleSaysSoAndKeepsState() throws Exception {
        BottlePlan plan = TestBottles.plan("stopper", TestBottles.SLIM_AGENT, scratch.resolve("state5"));
        Run run = new Run();
        java.util.concurrent.CompletableFuture<Integer> code = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> run.start(plan, SessionOptions.command(List.of("sh", "-c", "echo started; sleep 120"))));
        for (int attempt = 0; attempt < 600 && !run.stdout().contains("started"); attempt++) {
            Thread.sleep(100);
        }
        assertThat(run.stdout()).as("the command started").contains("started");

        new Bottles(engine, plan.stateFolder().getParent()).stop(plan.identity());

        assertThat(code.get(60, java.util.concurrent.TimeUnit.SECONDS)).isNotZero();
        assertThat(run.messages.toString()).contains("was stopped with `claude-bottle stop`")
                .contains("claude-bottle resume " + plan.identity());
        assertThat(new StateDirectory(plan.stateFolder()).preserved()).isTrue();
        assertNothingLeft(plan);
    }

    @Test
    void unusedBuildCaIsReported() throws Exception {
        BottlePlan plan = TestBottles.plan("causer", TestBottles.SLIM_AGENT, scratch.resolve("state6"));
        Path ca = Files.writeString(scratch.resolve("build-ca.pem"), "not used\n");
        Run run = new Run();

        int code = run.start(plan, SessionOptions.command(List.of("true")).withBuildCa(ca));

        assertThat(code).as(run.messages.toString()).isZero();
        assertThat(run.messages.toString()).contains("--build-ca was not used: every image was up to date");
    }

    @Test
    void agentCanWriteWorkspaceWithoutWorkingTree() {
        BottlePlan plan = TestBottles.plan("writer", TestBottles.SLIM_AGENT, scratch.resolve("state4"));
        Run run = new Run();

        int code = run.start(plan, SessionOptions.command(List.of("sh", "-c",
                "pwd; stat -c %U .; echo draft > notes.txt && cat notes.txt")));

        assertThat(code).as(run.messages.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("/home/agent/workspace\nagent\ndraft\n");
    }
}
