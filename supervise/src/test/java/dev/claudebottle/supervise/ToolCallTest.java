package dev.claudebottle.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudebottle.supervise.queue.QueuedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Tool calls end to end: queueing, waiting, pending replies and input checks. */
class ToolCallTest {

    @TempDir
    Path state;

    private SuperviseFixture fixture;
    private String session;

    @BeforeEach
    void start() throws Exception {
        fixture = new SuperviseFixture(state, "implementer", builder -> builder
                .decisionWait(Duration.ofMillis(300))
                .egress(() -> new EgressSnapshot(List.of("api.anthropic.com"), List.of())));
        session = fixture.initialize("2025-06-18");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static String text(JsonNode response) {
        return response.at("/result/content/0/text").asText();
    }

    @Nested
    class PendingPath {

        @Test
        void unansweredCallReturnsPendingWithId() throws Exception {
            JsonNode response = fixture.callTool(session, "egress-block",
                    "{\"failed_url\":\"https://registry.example.com/pkg\",\"justification\":\"fetch a package\"}");

            QueuedRequest request = fixture.queue().listPending().get(0);
            assertThat(response.at("/result/isError").asBoolean()).isFalse();
            assertThat(text(response)).startsWith("Pending").contains(request.id(), "check-request");
        }

        @Test
        void checkRequestReturnsLaterDecision() throws Exception {
            fixture.callTool(session, "egress-block",
                    "{\"failed_url\":\"https://registry.example.com/pkg\",\"justification\":\"fetch a package\"}");
            QueuedRequest request = fixture.queue().listPending().get(0);
            fixture.queue().approve(request.id(), null);

            JsonNode response = fixture.callTool(session, "check-request",
                    "{\"request_id\":\"" + request.id() + "\"}");

            assertThat(text(response)).startsWith("Approved").contains("registry.example.com:443");
        }

        @Test
        void checkRequestReportsRejection() throws Exception {
            fixture.callTool(session, "cred-proxy-block", """
                    {"path":"/gitlab","upstream":"https://gitlab.example.com/api/v4","auth_scheme":"Bearer",
                     "token_ref":"GITLAB_TOKEN","justification":"open a merge request"}""");
            QueuedRequest request = fixture.queue().listPending().get(0);
            fixture.close();
            fixture = new SuperviseFixture(state, "implementer", builder -> builder.decisionWait(Duration.ofSeconds(20)));
            session = fixture.initialize("2025-06-18");

            CompletableFuture<JsonNode> check = CompletableFuture.supplyAsync(() -> {
                try {
                    return fixture.callTool(session, "check-request", "{\"request_id\":\"" + request.id() + "\"}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            fixture.pendingRequest().get(10, TimeUnit.SECONDS);
            fixture.queue().reject(request.id(), "use the existing GitHub route");
            JsonNode response = check.get(10, TimeUnit.SECONDS);

            assertThat(response.at("/result/isError").asBoolean()).isTrue();
            assertThat(text(response)).contains("Rejected", "use the existing GitHub route");
        }

        @Test
        void checkRequestOfUnknownIdIsError() throws Exception {
            JsonNode response = fixture.callTool(session, "check-request", "{\"request_id\":\"20261204T200000Z-0000abcd\"}");

            assertThat(response.at("/result/isError").asBoolean()).isTrue();
            assertThat(text(response)).contains("no request");
        }

        @Test
        void alreadyAllowedHostIsNotQueued() throws Exception {
            JsonNode response = fixture.callTool(session, "egress-block",
                    "{\"failed_url\":\"https://api.anthropic.com/v1/messages\",\"justification\":\"blocked\"}");

            assertThat(response.at("/result/isError").asBoolean()).isTrue();
            assertThat(text(response)).contains("already on this bottle's allowlist");
            assertThat(fixture.queue().listPending()).isEmpty();
        }

        @Test
        void repeatedRequestReusesPendingOne() throws Exception {
            String arguments = "{\"failed_url\":\"https://registry.example.com/a\",\"justification\":\"fetch a package\"}";
            String again = "{\"failed_url\":\"https://registry.example.com/b\",\"justification\":\"still need it\"}";

            JsonNode first = fixture.callTool(session, "egress-block", arguments);
            JsonNode second = fixture.callTool(session, "egress-block", again);

            assertThat(fixture.queue().listPending()).hasSize(1);
            String id = fixture.queue().listPending().get(0).id();
            assertThat(text(first)).contains(id);
            assertThat(text(second)).contains(id);
        }

        @Test
        void failingEgressProviderDoesNotBlockRequests() throws Exception {
            fixture.close();
            fixture = new SuperviseFixture(state, "implementer", builder -> builder
                    .decisionWait(Duration.ofMillis(100))
                    .egress(() -> {
                        throw new IllegalStateException("config reload in progress");
                    }));
            session = fixture.initialize("2025-06-18");

            JsonNode request = fixture.callTool(session, "egress-block",
                    "{\"failed_url\":\"https://registry.example.com/\",\"justification\":\"fetch a package\"}");
            JsonNode list = fixture.callTool(session, "list-egress", "{}");

            assertThat(text(request)).startsWith("Pending");
            assertThat(list.at("/result/isError").asBoolean()).isTrue();
            assertThat(text(list)).contains("not available").doesNotContain("config reload");
        }

        @Test
        void capabilityRequestIsQueued() throws Exception {
            JsonNode response = fixture.callTool(session, "capability-block",
                    "{\"packages\":[\"jq\",\"ripgrep\"],\"justification\":\"parse JSON output\"}");

            QueuedRequest request = fixture.queue().listPending().get(0);
            assertThat(text(response)).startsWith("Pending");
            assertThat(request.summary()).isEqualTo("install apt packages jq ripgrep");
            assertThat(request.proposal().get("kind").asText()).isEqualTo("capability");
        }
    }

    @Nested
    class BadInput {

        @ParameterizedTest
        @ValueSource(strings = {"https:///path", "https://", "mailto:someone@example.com", "/relative/path",
                "https://user:pw@api.example.com/", "http://localhost:8080/", "http://169.254.169.254/latest",
                "http://[::1]/", "http://10.1.2.3/", "http://cred-proxy:9099/github", "file:///etc/passwd",
                "http://127.1/", "http://[::ffff:127.0.0.1]/", "http://0x7f.0x1/", "https://api.example.com:70000/",
                "http://100.64.0.1/", "http://0.0.0.0/"})
        void rejectsUrlWithoutPublicHost(String url) throws Exception {
            JsonNode response = fixture.callTool(session, "egress-block",
                    "{\"failed_url\":\"" + url + "\",\"justification\":\"need it for the task\"}");

            assertThat(response.at("/error/code").asInt()).as(url).isEqualTo(-32602);
            assertThat(response.at("/error/message").asText()).as(url).contains("failed_url");
            assertThat(fixture.queue().listPending()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\\u001b[2J\\u001b[Happroved already", "looks fine \\u202e txet nedduh", "bell\\u0007"})
        void rejectsControlCharactersInText(String justification) throws Exception {
            JsonNode response = fixture.callTool(session, "egress-block",
                    "{\"failed_url\":\"https://registry.example.com/\",\"justification\":\"" + justification + "\"}");

            assertThat(response.at("/error/code").asInt()).isEqualTo(-32602);
            assertThat(response.at("/error/message").asText()).contains("justification", "control character");
            assertThat(fixture.queue().listPending()).isEmpty();
        }

        @Test
        void rejectsDeeplyNestedJson() throws Exception {
            String nested = "[".repeat(5000) + "]".repeat(5000);

            JsonNode response = fixture.callTool(session, "list-egress", nested);

            assertThat(response.at("/error/code").asInt()).isEqualTo(-32700);
        }

        @Test
        void rejectsDockerfileWithoutFrom() throws Exception {
            JsonNode response = fixture.callTool(session, "capability-block",
                    "{\"dockerfile\":\"RUN apt-get install -y jq\",\"justification\":\"need jq\"}");

            assertThat(response.at("/error/message").asText()).contains("FROM");
        }

        @Test
        void rejectsCapabilityWithNeitherPackagesNorDockerfile() throws Exception {
            JsonNode response = fixture.callTool(session, "capability-block", "{\"justification\":\"need jq\"}");

            assertThat(response.at("/error/code").asInt()).isEqualTo(-32602);
        }

        @Test
        void rejectsPathTraversalInRoute() throws Exception {
            JsonNode response = fixture.callTool(session, "cred-proxy-block", """
                    {"path":"/github/../admin","upstream":"https://api.github.com","auth_scheme":"Bearer",
                     "token_ref":"GITHUB_TOKEN","justification":"need it"}""");

            assertThat(response.at("/error/code").asInt()).isEqualTo(-32602);
            assertThat(fixture.queue().listPending()).isEmpty();
        }

        @Test
        void rejectsArgumentsThatAreNotObject() throws Exception {
            JsonNode response = fixture.callTool(session, "list-egress", "[1,2]");

            assertThat(response.at("/error/code").asInt()).isEqualTo(-32602);
            assertThat(response.at("/error/message").asText()).contains("JSON object");
        }
    }
}
