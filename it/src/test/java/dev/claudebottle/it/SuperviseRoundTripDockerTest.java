package dev.claudebottle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent asks supervise for a host it may not reach, the operator approves with
 * {@code dashboard approve}, and the agent's next request to that host passes, in the same
 * bottle and without a restart.
 */
@Tag("docker")
class SuperviseRoundTripDockerTest {

    private static final Pattern REQUEST_ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
    private static final String MCP_HEADERS = "-H 'Content-Type: application/json' "
            + "-H 'Accept: application/json, text/event-stream' ";

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
    void approvedHostIsReachableWithoutRestart() throws Exception {
        String script = String.join("\n",
                "probe() { curl -sS -o /dev/null -w '%{http_connect}' https://docs.standin.test/v1/models 2>/dev/null; }",
                "echo \"before=$(probe)\"",
                "headers=$(mktemp)",
                "curl -sS -D \"$headers\" -o /dev/null " + MCP_HEADERS + "--data '{\"jsonrpc\":\"2.0\",\"id\":1,"
                        + "\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                        + "\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}' http://supervise:9100/",
                "session=$(grep -i '^mcp-session-id:' \"$headers\" | cut -d' ' -f2 | tr -d '\\r')",
                "mcp() { curl -sS --max-time 100 " + MCP_HEADERS + "-H \"Mcp-Session-Id: $session\" "
                        + "-H 'MCP-Protocol-Version: 2025-06-18' --data \"$1\" http://supervise:9100/; }",
                "mcp '{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}' >/dev/null",
                "echo \"answer=$(mcp '{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                        + "\"egress-block\",\"arguments\":{\"failed_url\":\"https://docs.standin.test/v1/models\","
                        + "\"justification\":\"the API reference for the client I am writing\"}}}')\"",
                "after=000",
                "for attempt in $(seq 1 60); do after=$(probe); [ \"$after\" = 200 ] && break; sleep 1; done",
                "echo \"after=$after\"");
        CompletableFuture<Demo.Run> bottle = CompletableFuture.supplyAsync(() -> demo.bottle("sh", "-c", script));

        String id = awaitRequestId(bottle);
        Demo.Run approve = demo.launcher(List.of("dashboard", "approve", id, "--allow-private", "--note", "go ahead"));
        Demo.Run run = bottle.get(5, TimeUnit.MINUTES);

        assertThat(approve.exitCode()).as(approve.stdout() + approve.stderr()).isZero();
        assertThat(approve.stdout()).contains("docs.standin.test").contains("now");
        assertThat(run.stdout()).as(run.stderr()).contains("before=403");
        assertThat(run.stdout()).contains("Approved by the operator").contains("go ahead");
        assertThat(run.stdout()).contains("after=200");
    }

    @Test
    void claudeCodeSeesSuperviseConnected() {
        Demo.Run run = demo.bottle("claude", "mcp", "list");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("supervise").contains("http://supervise:9100/").contains("Connected");
    }

    /** Polls {@code dashboard --once} until the agent's request is queued; fails if the bottle ends first. */
    private static String awaitRequestId(CompletableFuture<Demo.Run> bottle) throws InterruptedException {
        for (int attempt = 0; attempt < 120; attempt++) {
            if (bottle.isDone()) {
                throw new AssertionError("the bottle ended before its request was queued: " + bottle.join().stdout()
                        + bottle.join().stderr());
            }
            Demo.Run pending = demo.launcher(List.of("dashboard", "--once"));
            Matcher matcher = REQUEST_ID.matcher(pending.stdout());
            if (pending.stdout().contains("docs.standin.test") && matcher.find()) {
                return matcher.group();
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new AssertionError("no request for docs.standin.test was queued within about two minutes");
    }
}
