package dev.claudebottle.supervise.internal;

import dev.claudebottle.supervise.EgressSnapshot;
import dev.claudebottle.supervise.SecretCheck;
import dev.claudebottle.supervise.audit.AuditLog;
import dev.claudebottle.supervise.mcp.McpDispatcher;
import dev.claudebottle.supervise.mcp.McpSessions;
import dev.claudebottle.supervise.queue.DecisionWatcher;
import dev.claudebottle.supervise.queue.RequestQueue;
import dev.claudebottle.supervise.tools.SuperviseTools;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/** The handler alone on an {@link EmbeddedChannel}: replies, their order, and no leaked buffers. */
class McpHttpHandlerTest {

    @TempDir
    Path state;

    private ScheduledExecutorService scheduler;
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        AuditLog audit = new AuditLog(state.resolve("audit.jsonl"));
        SecretCheck secrets = SecretCheck.builtIn();
        RequestQueue queue = RequestQueue.open(state.resolve("queue"), audit, SuperviseTools.validator(secrets));
        SuperviseTools tools = new SuperviseTools(new SuperviseTools.Context("implementer", queue,
                new DecisionWatcher(queue, scheduler, Duration.ofMillis(20)), Duration.ofMillis(50),
                EgressSnapshot::empty, secrets, audit, Clock.systemUTC()));
        McpDispatcher dispatcher = new McpDispatcher(tools, new McpSessions(4), "implementer", "test");
        channel = new EmbeddedChannel(new McpHttpHandler(dispatcher,
                new HostGuard(List.of("supervise"), 9100), Runnable::run, Duration.ofSeconds(5)));
    }

    @AfterEach
    void close() {
        scheduler.shutdownNow();
    }

    private static FullHttpRequest post(String host, String body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers().set(HttpHeaderNames.HOST, host);
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return request;
    }

    private FullHttpResponse readResponse() {
        channel.runPendingTasks();
        return channel.readOutbound();
    }

    @Test
    void foreignHostGets403() {
        channel.writeInbound(post("evil.example:9100", "{}"));

        FullHttpResponse response = readResponse();
        try {
            assertThat(response.status().code()).isEqualTo(403);
            assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("Host header");
        } finally {
            response.release();
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void initializeGetsSessionHeader() {
        channel.writeInbound(post("supervise:9100",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}"));

        FullHttpResponse response = readResponse();
        try {
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(response.headers().get("Mcp-Session-Id")).hasSize(32);
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        } finally {
            response.release();
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void pipelinedRepliesKeepRequestOrder() {
        channel.writeInbound(post("supervise:9100", "not json"));
        channel.writeInbound(post("elsewhere:1", "{}"));

        FullHttpResponse first = readResponse();
        FullHttpResponse second = readResponse();
        try {
            assertThat(first.status().code()).isEqualTo(400);
            assertThat(first.content().toString(StandardCharsets.UTF_8)).contains("-32700");
            assertThat(second.status().code()).isEqualTo(403);
        } finally {
            first.release();
            second.release();
        }
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
