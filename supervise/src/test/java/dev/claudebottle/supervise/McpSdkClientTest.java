package dev.claudebottle.supervise;

import dev.claudebottle.supervise.queue.QueuedRequest;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Conformance with the MCP Java SDK client (0.17.0) over streamable HTTP. */
class McpSdkClientTest {

    @TempDir
    Path state;

    private SuperviseFixture fixture;
    private McpSyncClient client;

    @BeforeEach
    void start() {
        fixture = new SuperviseFixture(state, "implementer", builder -> builder.egress(() -> new EgressSnapshot(
                List.of("api.anthropic.com", "*.github.com"),
                List.of(new EgressSnapshot.CredentialRoute("/github", "https://api.github.com", "Bearer",
                        "GITHUB_TOKEN", null)))));
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + fixture.server.address().getPort())
                .endpoint("/")
                .build();
        client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterEach
    void stop() {
        client.closeGracefully();
        fixture.close();
    }

    @Test
    void initializeNegotiatesClientVersion() {
        McpSchema.InitializeResult result = client.initialize();

        assertThat(result.protocolVersion()).isEqualTo("2025-06-18");
        assertThat(result.serverInfo().name()).isEqualTo("claude-bottle-supervise");
        assertThat(result.capabilities().tools()).isNotNull();
    }

    @Test
    void olderClientVersionIsKept() {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://127.0.0.1:" + fixture.server.address().getPort())
                .endpoint("/mcp")
                .supportedProtocolVersions(List.of("2025-03-26"))
                .build();
        McpSyncClient older = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        try {
            McpSchema.InitializeResult result = older.initialize();

            assertThat(result.protocolVersion()).isEqualTo("2025-03-26");
            assertThat(older.listTools().tools()).hasSize(6);
        } finally {
            older.closeGracefully();
        }
    }

    @Test
    void listToolsShowsEveryToolWithSchema() {
        client.initialize();

        List<McpSchema.Tool> tools = client.listTools().tools();

        assertThat(tools).extracting(McpSchema.Tool::name).containsExactly("egress-block", "pipelock-block",
                "cred-proxy-block", "capability-block", "list-egress", "check-request");
        for (McpSchema.Tool tool : tools) {
            assertThat(tool.description()).as(tool.name()).contains("Use it").hasSizeGreaterThan(100);
            assertThat(tool.inputSchema().type()).as(tool.name()).isEqualTo("object");
        }
        McpSchema.Tool egress = tools.get(0);
        assertThat(egress.inputSchema().required()).containsExactly("failed_url", "justification");
    }

    @Test
    void listEgressReturnsAllowlistAndRoutes() {
        client.initialize();

        CallToolResult result = client.callTool(new McpSchema.CallToolRequest("list-egress", Map.of()));

        assertThat(result.isError()).isFalse();
        String text = text(result);
        assertThat(text).contains("api.anthropic.com", "*.github.com", "/github", "GITHUB_TOKEN");
    }

    @Test
    void egressBlockWaitsForApproval() throws Exception {
        client.initialize();

        CompletableFuture<CallToolResult> call = CompletableFuture.supplyAsync(() -> client.callTool(
                new McpSchema.CallToolRequest("egress-block", Map.of(
                        "failed_url", "https://pypi.example.org/simple/requests/",
                        "justification", "install the requests package for the HTTP client task"))));
        QueuedRequest request = fixture.pendingRequest().get(10, TimeUnit.SECONDS);
        fixture.queue().approve(request.id(), "fine for today");
        CallToolResult result = call.get(10, TimeUnit.SECONDS);

        assertThat(request.proposal().get("host").asText()).isEqualTo("pypi.example.org");
        assertThat(result.isError()).isFalse();
        assertThat(text(result)).contains("Approved", "fine for today", "pypi.example.org:443");
    }

    @Test
    void pipelockAliasQueuesAsEgressBlock() throws Exception {
        client.initialize();

        CompletableFuture<CallToolResult> call = CompletableFuture.supplyAsync(() -> client.callTool(
                new McpSchema.CallToolRequest("pipelock-block", Map.of(
                        "failed_url", "http://mirror.example.net/debian",
                        "justification", "fetch the package index"))));
        QueuedRequest request = fixture.pendingRequest().get(10, TimeUnit.SECONDS);
        fixture.queue().reject(request.id(), "use the internal mirror");
        CallToolResult result = call.get(10, TimeUnit.SECONDS);

        assertThat(request.tool()).isEqualTo("egress-block");
        assertThat(request.proposal().get("port").asInt()).isEqualTo(80);
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).contains("Rejected", "use the internal mirror");
    }

    @Test
    void invalidArgumentsFailWithReadableMessage() {
        client.initialize();

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> client.callTool(
                new McpSchema.CallToolRequest("egress-block", Map.of("failed_url", "https://x.example.com/"))));

        assertThat(failure).hasMessageContaining("justification");
        assertThat(fixture.queue().listPending()).isEmpty();
    }

    private static String text(CallToolResult result) {
        return ((TextContent) result.content().get(0)).text();
    }
}
