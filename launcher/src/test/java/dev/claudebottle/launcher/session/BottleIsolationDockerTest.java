package dev.claudebottle.launcher.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.HostConfig;
import dev.claudebottle.credproxy.route.AuthScheme;
import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.launcher.docker.ContainerExec;
import dev.claudebottle.launcher.docker.ContainerLogs;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.docker.DockerTestSupport;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an agent can reach from inside a real bottle (the real agent image, with curl). Traffic
 * goes only to containers this test made: the bottle's bundle and a stand-in on a test network.
 */
@Tag("docker")
class BottleIsolationDockerTest {

    /** Made up, shaped like a GitHub token; it must never reach the agent. */
    private static final String TOKEN = "ghp_" + "madeUpTestValue0123456789abcdefABCDEF";

    private static DockerEngine engine;
    private static String runId;
    private static String standInIp;
    private static String testNetwork;

    @TempDir
    static Path scratch;

    @BeforeAll
    static void setUp() {
        engine = DockerTestSupport.engineOrSkip();
        assumeTrue(!engine.client().listImagesCmd().withImageNameFilter(TestBottles.REAL_AGENT).exec().isEmpty(),
                "the agent image " + TestBottles.REAL_AGENT + " is missing; scripts/build-images.sh --agent builds it");
        TestBottles.buildBundle(engine);
        runId = DockerTestSupport.newRunId();
        testNetwork = "claude-bottle-test-" + runId.substring(0, 8);
        engine.client().createNetworkCmd().withName(testNetwork).withLabels(DockerTestSupport.labels(runId)).exec();
        String standIn = engine.client().createContainerCmd(DockerTestSupport.BASE_IMAGE)
                .withCmd("perl", "-MIO::Socket::INET", "-e",
                        "$s=IO::Socket::INET->new(LocalPort=>8080,Listen=>5,ReuseAddr=>1) or die; while($c=$s->accept){print $c \"HTTP/1.0 200 OK\\r\\n\\r\\nstand-in\\n\"; close $c}")
                .withLabels(DockerTestSupport.labels(runId))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(testNetwork))
                .exec().getId();
        engine.client().startContainerCmd(standIn).exec();
        standInIp = engine.client().inspectContainerCmd(standIn).exec().getNetworkSettings().getNetworks()
                .get(testNetwork).getIpAddress();
    }

    @AfterAll
    static void tearDown() {
        if (engine != null) {
            DockerTestSupport.removeAll(engine.client(), runId);
            engine.close();
        }
    }

    @Test
    void agentSeesNoTokenNoRouteNoDns() throws Exception {
        Route route = new Route("/up/", URI.create("https://upstream.test/"), AuthScheme.BEARER, "TEST_UPSTREAM_TOKEN",
                Set.of());
        BottlePlan plan = TestBottles.plan("isolated", TestBottles.REAL_AGENT, scratch.resolve("state"), List.of(route),
                Map.of(), List.of());
        String script = """
                echo "token-in-env=$(printenv | grep -c %s)"
                curl -s -o /dev/null -w 'http=%%{http_code}\\n' --max-time 10 http://blocked.example.test/
                curl -s -o /dev/null -w 'connect=%%{http_connect}\\n' --max-time 10 https://blocked.example.test/
                echo "default-routes=$(awk 'NR>1 && $2=="00000000"' /proc/net/route | wc -l)"
                if timeout 5 bash -c 'exec 3<>/dev/tcp/%s/8080' 2>/dev/null; then echo direct=open; else echo direct=failed; fi
                getent hosts exfil-probe.test >/dev/null; echo "dns=$?"
                while [ ! -f /tmp/go ]; do sleep 0.1; done
                """.formatted(TOKEN.substring(0, 12), standInIp);
        StringWriter messages = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BottleSession session = new BottleSession(engine, plan,
                SessionOptions.command(List.of("bash", "-c", script)).withExtraNetworks(List.of(testNetwork)),
                Map.of("TEST_UPSTREAM_TOKEN", TOKEN), prompt -> "", new PrintWriter(messages, true), out,
                new ByteArrayOutputStream());

        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(session::run);
        String bundle = plan.identity() + "-bundle";
        String agent = plan.identity() + "-agent";
        List<String> refused;
        String inspected;
        try {
            // The bundle logs a refused name only by top-level label, size and hash, never the name itself.
            String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest("exfil-probe.test".getBytes(StandardCharsets.UTF_8)), 0, 4);
            refused = awaitLogLine(bundle, "a name under .test (2 labels, 16 chars, sha256 " + hash + ")", exit);
            inspected = new ObjectMapper().disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .writeValueAsString(List.of(engine.client().inspectContainerCmd(agent).exec(),
                            engine.client().inspectContainerCmd(bundle).exec()));
        } finally {
            new ContainerExec(engine.client()).run(agent, "agent", List.of("touch", "/tmp/go"), null,
                    Duration.ofSeconds(10));
        }
        int code = exit.get(60, TimeUnit.SECONDS);

        String output = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(messages.toString()).isZero();
        assertThat(output).contains("token-in-env=0");
        assertThat(output).contains("http=403");
        assertThat(output).contains("connect=403");
        assertThat(output).contains("default-routes=0");
        assertThat(output).contains("direct=failed");
        assertThat(output).contains("dns=2");
        assertThat(refused).isNotEmpty();
        assertThat(inspected).doesNotContain(TOKEN);
        BottleSessionDockerTest.engine = engine;
        BottleSessionDockerTest.assertNothingLeft(plan);
    }

    /** Follows the bundle's log until a line contains {@code text}, for at most 30 s. */
    private static List<String> awaitLogLine(String container, String text, CompletableFuture<Integer> session)
            throws InterruptedException {
        java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
        List<String> matches = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread follower = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // The bundle container may not exist yet when the session is still starting.
            while (seen.getCount() > 0 && System.nanoTime() < deadline && !session.isDone()) {
                try {
                    new ContainerLogs(engine.client()).stream(container, 1000, true, line -> {
                        if (line.contains(text)) {
                            matches.add(line);
                            seen.countDown();
                        }
                    });
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    try {
                        session.get(100, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ignored) {
                        // Still starting; look for the container again.
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }, "log-follower");
        follower.setDaemon(true);
        follower.start();
        seen.await(30, TimeUnit.SECONDS);
        follower.interrupt();
        return matches;
    }
}
