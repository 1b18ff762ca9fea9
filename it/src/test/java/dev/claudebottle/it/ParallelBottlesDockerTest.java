package dev.claudebottle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three bottles at once: each agent reaches its own bundle and no other, and all are removed. */
@Tag("docker")
class ParallelBottlesDockerTest {

    private static final int BOTTLES = 3;
    /** How long each bottle's command waits for the test to probe it, in seconds. */
    private static final int HOLD_SECONDS = 60;

    @TempDir
    static Path folder;

    static Demo demo;

    @BeforeAll
    static void startStandins() {
        Demo.assumeReady();
        demo = Demo.start(folder);
    }

    @AfterAll
    static void stopStandins() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void threeBottlesIsolated() throws InterruptedException, ExecutionException, TimeoutException {
        List<CompletableFuture<Demo.Run>> runs = new ArrayList<>();
        for (int i = 0; i < BOTTLES; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> demo.bottle("sleep", String.valueOf(HOLD_SECONDS))));
        }

        List<String> agents = awaitAgents();
        List<String> bundleAddresses = new ArrayList<>();
        for (String agent : agents) {
            String identity = inspect(agent, "{{index .Config.Labels \"dev.claudebottle.identity\"}}");
            String bundle = Demo.run(List.of("docker", "ps", "-q", "--filter", "label=dev.claudebottle.identity=" + identity,
                    "--filter", "label=dev.claudebottle.role=bundle"), 30).stdout().strip();
            bundleAddresses.add(inspect(bundle, "{{(index .NetworkSettings.Networks \"" + identity
                    + "-internal\").IPAddress}}"));
        }

        for (int a = 0; a < BOTTLES; a++) {
            for (int b = 0; b < BOTTLES; b++) {
                String probe = reach(agents.get(a), bundleAddresses.get(b));
                if (a == b) {
                    assertThat(probe).as("agent %d reaches its own cred-proxy", a).isEqualTo("open");
                } else {
                    assertThat(probe).as("agent %d reaches the cred-proxy of bottle %d", a, b).isEqualTo("closed");
                }
            }
        }
        for (CompletableFuture<Demo.Run> run : runs) {
            assertThat(run.get(HOLD_SECONDS + 240, TimeUnit.SECONDS).exitCode()).isZero();
        }
        assertThat(demo.identities).hasSize(BOTTLES).doesNotHaveDuplicates();
        assertThat(demo.leftovers()).isEmpty();
    }

    /**
     * Returns the three agent containers once they run. The launcher gives no signal a test can
     * wait on, so this polls the engine, bounded to three minutes.
     */
    private static List<String> awaitAgents() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            String ids = Demo.run(List.of("docker", "ps", "-q", "--filter", "label=dev.claudebottle.agent=demo",
                    "--filter", "label=dev.claudebottle.role=agent", "--filter", "label=dev.claudebottle.launcher",
                    "--filter", "status=running"), 30).stdout().strip();
            List<String> running = ids.isEmpty() ? List.of() : List.of(ids.split("\n"));
            List<String> ours = running.stream().filter(ParallelBottlesDockerTest::ofThisDemo).toList();
            if (ours.size() == BOTTLES && ours.stream().allMatch(ParallelBottlesDockerTest::provisioned)) {
                return ours;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the " + BOTTLES + " bottles did not start within 3 minutes");
    }

    /** Returns whether an agent container is one of this test's: its bottle keeps state under the demo's home. */
    private static boolean ofThisDemo(String agent) {
        String identity = inspect(agent, "{{index .Config.Labels \"dev.claudebottle.identity\"}}");
        return !identity.isEmpty() && Files.isDirectory(demo.home().resolve("state").resolve(identity));
    }

    private static boolean provisioned(String agent) {
        return Demo.run(List.of("docker", "exec", agent, "test", "-f", "/home/agent/.gitconfig"), 30).exitCode() == 0;
    }

    private static String reach(String agent, String address) {
        return Demo.run(List.of("docker", "exec", agent, "timeout", "5", "bash", "-c",
                "echo > /dev/tcp/" + address + "/9099 && echo open || echo closed"), 30).stdout().strip();
    }

    private static String inspect(String container, String format) {
        return Demo.run(List.of("docker", "inspect", "-f", format, container), 30).stdout().strip();
    }
}
