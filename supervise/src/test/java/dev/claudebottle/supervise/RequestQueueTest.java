package dev.claudebottle.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.audit.AuditLog;
import dev.claudebottle.supervise.queue.Decision;
import dev.claudebottle.supervise.queue.PreparedRequest;
import dev.claudebottle.supervise.queue.QueueException;
import dev.claudebottle.supervise.queue.QueuedRequest;
import dev.claudebottle.supervise.queue.RequestQueue;
import dev.claudebottle.supervise.queue.RequestStatus;
import dev.claudebottle.supervise.tools.SuperviseTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static dev.claudebottle.supervise.SuperviseFixture.MAPPER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The queue API that the dashboard uses: list, approve, modify, reject, and the files behind it. */
class RequestQueueTest {

    @TempDir
    Path state;

    private RequestQueue queue;
    private AuditLog audit;

    @BeforeEach
    void open() {
        audit = new AuditLog(state.resolve("audit.jsonl"));
        queue = new RequestQueue(state.resolve("queue"), audit, SuperviseTools.validator(SecretCheck.builtIn()),
                Clock.fixed(Instant.parse("2026-12-04T20:00:00Z"), ZoneOffset.UTC), 3);
    }

    private QueuedRequest submitEgress(String url) {
        ObjectNode input = MAPPER.createObjectNode().put("failed_url", url).put("justification", "tests");
        PreparedRequest prepared = SuperviseTools.validator(SecretCheck.builtIn()).validate("egress-block", input);
        return queue.submit("implementer", "egress-block", prepared);
    }

    @Test
    void submitWritesRequestFileAndAudit() throws Exception {
        QueuedRequest request = submitEgress("https://api.example.com/v1");

        JsonNode file = MAPPER.readTree(state.resolve("queue/" + request.id() + ".request.json").toFile());
        assertThat(file.get("format").asInt()).isEqualTo(1);
        assertThat(file.get("tool").asText()).isEqualTo("egress-block");
        assertThat(file.at("/proposal/host").asText()).isEqualTo("api.example.com");
        assertThat(file.at("/proposal/port").asInt()).isEqualTo(443);
        assertThat(file.get("created_at").asText()).isEqualTo("2026-12-04T20:00:00Z");
        List<String> audit = Files.readAllLines(state.resolve("audit.jsonl"));
        assertThat(audit).hasSize(1);
        assertThat(MAPPER.readTree(audit.get(0)).get("decision").asText()).isEqualTo("requested");
    }

    @Test
    void approveWritesResponseAndLeavesNoTempFiles() throws Exception {
        QueuedRequest request = submitEgress("https://api.example.com/v1");

        Decision decision = queue.approve(request.id(), "ok");

        assertThat(decision.status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(queue.listPending()).isEmpty();
        assertThat(queue.decision(request.id())).contains(decision);
        JsonNode response = MAPPER.readTree(state.resolve("queue/" + request.id() + ".response.json").toFile());
        assertThat(response.get("decision").asText()).isEqualTo("approved");
        assertThat(response.get("note").asText()).isEqualTo("ok");
        try (Stream<Path> files = Files.list(state.resolve("queue"))) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void damagedFileHidesNoOtherRequest() throws Exception {
        QueuedRequest request = submitEgress("https://api.example.com/v1");
        Files.writeString(state.resolve("queue/20261204T195959Z-deadbeef.request.json"), "{\"not\":\"valid");
        List<String> skipped = new java.util.ArrayList<>();

        List<QueuedRequest> pending = queue.listPending(skipped::add);

        assertThat(pending).extracting(QueuedRequest::id).containsExactly(request.id());
        assertThat(skipped).singleElement().asString().contains("deadbeef.request.json");
    }

    @Test
    void rejectNeedsReason() {
        QueuedRequest request = submitEgress("https://api.example.com/v1");

        assertThatThrownBy(() -> queue.reject(request.id(), " "))
                .isInstanceOf(QueueException.class).hasMessageContaining("reason");
        Decision decision = queue.reject(request.id(), "not for this project");

        assertThat(decision.status()).isEqualTo(RequestStatus.REJECTED);
        assertThat(decision.note()).isEqualTo("not for this project");
    }

    @Test
    void secondDecisionIsRefused() {
        QueuedRequest request = submitEgress("https://api.example.com/v1");
        queue.reject(request.id(), "no");

        assertThatThrownBy(() -> queue.approve(request.id(), "changed my mind"))
                .isInstanceOfSatisfying(QueueException.class,
                        e -> assertThat(e.reason()).isEqualTo(QueueException.Reason.ALREADY_DECIDED))
                .hasMessageContaining("already rejected");
        assertThat(queue.decision(request.id()).orElseThrow().status()).isEqualTo(RequestStatus.REJECTED);
    }

    @Test
    void modifiedApprovalRecordsDiff() throws Exception {
        QueuedRequest request = submitEgress("https://uploads.api.example.com/v1");
        ObjectNode narrowed = request.input().deepCopy().put("failed_url", "https://api.example.com/v1");

        Decision decision = queue.approve(request.id(), "narrowed", narrowed);

        assertThat(decision.modified()).isTrue();
        assertThat(decision.effectiveProposal(request).get("host").asText()).isEqualTo("api.example.com");
        List<String> lines = Files.readAllLines(state.resolve("audit.jsonl"));
        JsonNode approved = MAPPER.readTree(lines.get(lines.size() - 1));
        assertThat(approved.get("decision").asText()).isEqualTo("approved");
        assertThat(approved.at("/diff/before/failed_url").asText()).contains("uploads.api.example.com");
        assertThat(approved.at("/diff/after/failed_url").asText()).isEqualTo("https://api.example.com/v1");
    }

    @Test
    void invalidModificationChangesNothing() {
        QueuedRequest request = submitEgress("https://api.example.com/v1");
        ObjectNode broken = request.input().deepCopy().put("failed_url", "ftp://api.example.com/");

        assertThatThrownBy(() -> queue.approve(request.id(), null, broken))
                .isInstanceOfSatisfying(QueueException.class,
                        e -> assertThat(e.reason()).isEqualTo(QueueException.Reason.INVALID_INPUT))
                .hasMessageContaining("http://");
        assertThat(queue.listPending()).extracting(QueuedRequest::id).containsExactly(request.id());
    }

    @Test
    void unknownOrTraversingIdIsNotFound() {
        assertThatThrownBy(() -> queue.approve("../../etc/passwd", null))
                .isInstanceOfSatisfying(QueueException.class,
                        e -> assertThat(e.reason()).isEqualTo(QueueException.Reason.NOT_FOUND));
        assertThat(queue.find("20261204T200000Z-00000000")).isEmpty();
    }

    @Test
    void pendingListIsOldestFirstAndCapped() {
        QueuedRequest first = submitEgress("https://a.example.com/");
        QueuedRequest second = submitEgress("https://b.example.com/");
        QueuedRequest third = submitEgress("https://c.example.com/");

        assertThat(queue.listPending()).extracting(QueuedRequest::id)
                .containsExactlyElementsOf(Stream.of(first, second, third).map(QueuedRequest::id).sorted().toList());
        assertThatThrownBy(() -> submitEgress("https://d.example.com/"))
                .isInstanceOfSatisfying(QueueException.class,
                        e -> assertThat(e.reason()).isEqualTo(QueueException.Reason.QUEUE_FULL));
    }
}
