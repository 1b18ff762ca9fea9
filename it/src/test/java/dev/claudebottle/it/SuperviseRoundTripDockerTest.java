package dev.claudebottle.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    private static final String TOOL = "mcp__supervise__egress-block";

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
                Demo.callSupervise("egress-block", "{\"failed_url\":\"https://docs.standin.test/v1/models\","
                        + "\"justification\":\"the API reference for the client I am writing\"}"),
                "after=000",
                "for attempt in $(seq 1 60); do after=$(probe); [ \"$after\" = 200 ] && break; sleep 1; done",
                "echo \"after=$after\"");
        CompletableFuture<Demo.Run> bottle = CompletableFuture.supplyAsync(() -> demo.bottle("sh", "-c", script));

        String id = awaitRequestId(bottle, "docs.standin.test");
        Demo.Run approve = demo.launcher(List.of("dashboard", "approve", id, "--allow-private", "--note", "go ahead"));
        Demo.Run run = bottle.get(5, TimeUnit.MINUTES);

        assertThat(approve.exitCode()).as(approve.stdout() + approve.stderr()).isZero();
        assertThat(approve.stdout()).contains("docs.standin.test").contains("now");
        assertThat(run.stdout()).as(run.stderr()).contains("before=403");
        assertThat(run.stdout()).contains("Approved by the operator").contains("go ahead");
        assertThat(run.stdout()).contains("after=200");
    }

    /**
     * The agent requests a credential route it lacks, and the operator approves it from a shell
     * that has the token set. The route then works in the same bottle: the launcher hands the token
     * to the running bundle, which injects it, and the agent never sees it.
     */
    @Test
    void approvedRouteWorksWithTokenFromOperatorShell() throws Exception {
        String script = String.join("\n",
                "probe() { curl -sS -o /dev/null -w '%{http_code}' http://cred-proxy:9099/docs-api/v1/route-probe; }",
                "echo \"before=$(probe)\"",
                Demo.callSupervise("cred-proxy-block", "{\"path\":\"/docs-api/\",\"upstream\":\"https://api.standin.test\","
                        + "\"auth_scheme\":\"Bearer\",\"token_ref\":\"DOCS_API_TOKEN\","
                        + "\"justification\":\"the task reads the docs API\"}"),
                "after=000",
                "for attempt in $(seq 1 60); do after=$(probe); [ \"$after\" = 200 ] && break; sleep 1; done",
                "echo \"after=$after\"",
                "env");
        CompletableFuture<Demo.Run> bottle = CompletableFuture.supplyAsync(() -> demo.bottle("sh", "-c", script));

        String id = awaitRequestId(bottle, "/docs-api/");
        Demo.Run approve = demo.launcher(Map.of("DOCS_API_TOKEN", demo.token),
                List.of("dashboard", "approve", id, "--note", "docs token granted"));
        Demo.Run run = bottle.get(5, TimeUnit.MINUTES);

        assertThat(approve.exitCode()).as(approve.stdout() + approve.stderr()).isZero();
        assertThat(approve.stdout()).contains("is live").contains("DOCS_API_TOKEN").doesNotContain(demo.token);
        assertThat(run.stdout()).as(run.stderr()).contains("before=404");
        assertThat(run.stdout()).contains("Approved by the operator").contains("docs token granted");
        assertThat(run.stdout()).contains("after=200").doesNotContain(demo.token);
        assertThat(demo.apiRequests()).as("the stand-in saw the route's request with the handed-over token")
                .anySatisfy(request -> {
                    assertThat(request.path("path").asText()).isEqualTo("/v1/route-probe");
                    assertThat(request.path("authorized").asBoolean()).isTrue();
                });
    }

    @Test
    void claudeCodeSeesSuperviseConnected() {
        Demo.Run run = demo.bottle("claude", "mcp", "list");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("supervise").contains("http://supervise:9100/").contains("Connected");
    }

    /**
     * Claude Code itself calls supervise's {@code egress-block}: the stand-in API answers the
     * prompt with a {@code tool_use} block, Claude Code calls the tool without a permission
     * prompt (the launcher allowed supervise's tools), the request waits in the queue until the
     * operator approves it, and the tool's answer goes back to the API as a {@code tool_result}.
     */
    @Test
    void claudeCodeCallsSuperviseTool() throws Exception {
        String failedUrl = "https://manual.standin.test/v1/guide";
        String prompt = "The docs host is blocked; ask the operator. standin-tool: " + TOOL
                + " {\"failed_url\":\"" + failedUrl + "\",\"justification\":\"the reference docs for this task\"}";
        CompletableFuture<Demo.Run> bottle = CompletableFuture.supplyAsync(() -> demo.bottle("claude", "-p", prompt));

        String id = awaitRequestId(bottle, "manual.standin.test");
        Demo.Run approve = demo.launcher(List.of("dashboard", "approve", id, "--allow-private", "--note", "granted for docs"));
        Demo.Run run = bottle.get(5, TimeUnit.MINUTES);

        assertThat(approve.exitCode()).as(approve.stdout() + approve.stderr()).isZero();
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout()).contains("The tool answered:").contains("Approved by the operator")
                .contains("granted for docs");
        List<JsonNode> toolReplies = demo.apiRequests().stream()
                .filter(request -> TOOL.equals(request.path("tool_use").asText()))
                .toList();
        assertThat(toolReplies).as("a reply that makes Claude Code call the tool").hasSize(1);
        assertThat(toolReplies.get(0).path("tools").toString()).contains(TOOL);
        assertThat(demo.apiRequests()).as("the tool's answer, sent back to the API")
                .anySatisfy(request -> assertThat(request.path("tool_result").asText())
                        .contains("Approved by the operator"));
    }

    /** Polls {@code dashboard --once} until the agent's request for {@code needle} is queued; fails if the bottle ends first. */
    private static String awaitRequestId(CompletableFuture<Demo.Run> bottle, String needle) throws InterruptedException {
        for (int attempt = 0; attempt < 120; attempt++) {
            if (bottle.isDone()) {
                throw new AssertionError("the bottle ended before its request was queued: " + bottle.join().stdout()
                        + bottle.join().stderr());
            }
            Demo.Run pending = demo.launcher(List.of("dashboard", "--once"));
            for (String line : pending.stdout().split("\n")) {
                Matcher matcher = REQUEST_ID.matcher(line);
                if (line.contains(needle) && matcher.find()) {
                    return matcher.group();
                }
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new AssertionError("no request for " + needle + " was queued within about two minutes");
    }
}
