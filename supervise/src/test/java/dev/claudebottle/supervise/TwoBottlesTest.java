package dev.claudebottle.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudebottle.supervise.queue.QueuedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two bottles, each with its own server and queue, asking at the same time. */
class TwoBottlesTest {

    @TempDir
    Path state;

    @Test
    void concurrentRequestsStayInTheirOwnQueues() throws Exception {
        try (SuperviseFixture implementer = new SuperviseFixture(state.resolve("implementer"), "implementer", b -> { });
             SuperviseFixture reviewer = new SuperviseFixture(state.resolve("reviewer"), "reviewer", b -> { })) {
            String implementerSession = implementer.initialize("2025-06-18");
            String reviewerSession = reviewer.initialize("2025-06-18");

            CompletableFuture<JsonNode> implementerCall = callAsync(implementer, implementerSession, "https://one.example.com/");
            CompletableFuture<JsonNode> reviewerCall = callAsync(reviewer, reviewerSession, "https://two.example.com/");
            QueuedRequest implementerRequest = implementer.pendingRequest().get(10, TimeUnit.SECONDS);
            QueuedRequest reviewerRequest = reviewer.pendingRequest().get(10, TimeUnit.SECONDS);
            reviewer.queue().reject(reviewerRequest.id(), "reviewers stay offline");
            implementer.queue().approve(implementerRequest.id(), null);

            JsonNode implementerReply = implementerCall.get(10, TimeUnit.SECONDS);
            JsonNode reviewerReply = reviewerCall.get(10, TimeUnit.SECONDS);
            assertThat(implementerRequest.bottle()).isEqualTo("implementer");
            assertThat(implementerRequest.proposal().get("host").asText()).isEqualTo("one.example.com");
            assertThat(reviewerRequest.bottle()).isEqualTo("reviewer");
            assertThat(reviewerRequest.proposal().get("host").asText()).isEqualTo("two.example.com");
            assertThat(implementerReply.at("/result/content/0/text").asText()).startsWith("Approved");
            assertThat(reviewerReply.at("/result/content/0/text").asText()).contains("reviewers stay offline");
            List<JsonNode> reviewerAudit = reviewer.auditLines();
            assertThat(reviewerAudit).extracting(line -> line.get("decision").asText()).containsExactly("requested", "rejected");
            assertThat(reviewerAudit).allSatisfy(line -> assertThat(line.get("bottle").asText()).isEqualTo("reviewer"));
            assertThat(implementer.queue().find(reviewerRequest.id())).isEmpty();
        }
    }

    private static CompletableFuture<JsonNode> callAsync(SuperviseFixture fixture, String session, String url) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return fixture.callTool(session, "egress-block",
                        "{\"failed_url\":\"" + url + "\",\"justification\":\"fetch test data\"}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
