package dev.claudebottle.launcher.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.launcher.docker.ContainerExec;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.docker.DockerTestSupport;
import dev.claudebottle.launcher.docker.ExecResult;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three bottles at once: each agent resolves and reaches only its own bundle. */
@Tag("docker")
class ThreeBottlesDockerTest {

    private static DockerEngine engine;

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

    private static final String SCRIPT = """
            getent hosts egress | cut -d' ' -f1 > /tmp/ip.partial && mv /tmp/ip.partial /tmp/ip
            while [ ! -f /tmp/go ]; do sleep 0.1; done
            for ip in $(cat /tmp/others); do
              if timeout 3 bash -c "exec 3<>/dev/tcp/$ip/8888" 2>/dev/null; then echo "reached $ip"; else echo "blocked $ip"; fi
            done
            if timeout 3 bash -c 'exec 3<>/dev/tcp/egress/8888' 2>/dev/null; then echo own-reachable; fi
            """;

    @Test
    void eachAgentSeesOnlyItsOwnBundle() throws Exception {
        List<BottlePlan> plans = new ArrayList<>();
        List<ByteArrayOutputStream> outputs = new ArrayList<>();
        List<CompletableFuture<Integer>> exits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BottlePlan plan = TestBottles.plan("trio" + i, TestBottles.SLIM_AGENT, scratch.resolve("state"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BottleSession session = new BottleSession(engine, plan, SessionOptions.command(List.of("bash", "-c", SCRIPT)),
                    Map.of(), prompt -> "", new PrintWriter(new StringWriter(), true), out, new ByteArrayOutputStream());
            plans.add(plan);
            outputs.add(out);
            exits.add(CompletableFuture.supplyAsync(session::run));
        }

        List<String> resolved = new ArrayList<>();
        List<String> bundleIps = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                String agent = plans.get(i).identity() + "-agent";
                resolved.add(awaitExec(agent, "while [ ! -f /tmp/ip ]; do sleep 0.1; done; cat /tmp/ip", exits.get(i)).strip());
                bundleIps.add(engine.client().inspectContainerCmd(plans.get(i).identity() + "-bundle").exec()
                        .getNetworkSettings().getNetworks().get(plans.get(i).identity() + "-internal").getIpAddress());
            }
            for (int i = 0; i < 3; i++) {
                List<String> others = new ArrayList<>(bundleIps);
                others.remove(i);
                String agent = plans.get(i).identity() + "-agent";
                new ContainerExec(engine.client()).run(agent, "agent", List.of("sh", "-c", "cat > /tmp/others"),
                        String.join(" ", others).getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
            }
        } finally {
            for (BottlePlan plan : plans) {
                try {
                    new ContainerExec(engine.client()).run(plan.identity() + "-agent", "agent", List.of("touch", "/tmp/go"),
                            null, Duration.ofSeconds(10));
                } catch (RuntimeException e) {
                    // The bottle failed to start; its future reports why.
                }
            }
        }

        for (int i = 0; i < 3; i++) {
            int code = exits.get(i).get(120, TimeUnit.SECONDS);
            String output = outputs.get(i).toString(StandardCharsets.UTF_8);
            assertThat(code).isZero();
            assertThat(resolved.get(i)).isEqualTo(bundleIps.get(i));
            assertThat(output).contains("own-reachable").doesNotContain("reached");
            for (int j = 0; j < 3; j++) {
                if (j != i) {
                    assertThat(output).contains("blocked " + bundleIps.get(j));
                }
            }
            BottleSessionDockerTest.engine = engine;
            BottleSessionDockerTest.assertNothingLeft(plans.get(i));
        }
    }

    /** Runs a script in a container once it exists, waiting at most 120 s. */
    private static String awaitExec(String container, String script, CompletableFuture<Integer> session)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                ExecResult result = new ContainerExec(engine.client()).run(container, "agent", List.of("sh", "-s"),
                        script.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60));
                if (result.succeeded()) {
                    return result.stdout();
                }
            } catch (RuntimeException e) {
                // The container does not exist or run yet.
            }
            try {
                session.get(200, TimeUnit.MILLISECONDS);
                throw new AssertionError("the session of " + container + " ended before its command ran");
            } catch (TimeoutException e) {
                // Still starting.
            } catch (ExecutionException e) {
                throw new AssertionError("the session of " + container + " failed", e.getCause());
            }
        }
        throw new AssertionError(container + " did not start within 120 s");
    }
}
