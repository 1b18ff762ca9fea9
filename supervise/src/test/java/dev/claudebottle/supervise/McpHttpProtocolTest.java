package dev.claudebottle.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.claudebottle.supervise.SuperviseFixture.MAPPER;
import static org.assertj.core.api.Assertions.assertThat;

/** The JSON-RPC and HTTP rules of MCP's streamable HTTP transport, driven with a plain HTTP client. */
class McpHttpProtocolTest {

    @TempDir
    Path state;

    private SuperviseFixture fixture;

    @BeforeEach
    void start() {
        fixture = new SuperviseFixture(state, "implementer", builder -> builder.maxRequestBytes(16 * 1024));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Nested
    class Initialize {

        @Test
        void unsupportedVersionGetsLatest() throws Exception {
            HttpResponse<String> response = fixture.post(null, Map.of(), """
                    {"jsonrpc":"2.0","id":"a","method":"initialize","params":{"protocolVersion":"1999-01-01"}}""");

            JsonNode body = MAPPER.readTree(response.body());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(body.at("/result/protocolVersion").asText()).isEqualTo("2025-11-25");
            assertThat(response.headers().firstValue("Mcp-Session-Id")).hasValueSatisfying(
                    id -> assertThat(id).matches("[0-9a-f]{32}"));
        }

        @Test
        void olderSupportedVersionIsEchoed() throws Exception {
            HttpResponse<String> response = fixture.post(null, Map.of(), """
                    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05"}}""");

            assertThat(MAPPER.readTree(response.body()).at("/result/protocolVersion").asText()).isEqualTo("2024-11-05");
        }

        @Test
        void missingProtocolVersionIsInvalidParams() throws Exception {
            HttpResponse<String> response = fixture.post(null, Map.of(),
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}");

            JsonNode body = MAPPER.readTree(response.body());
            assertThat(body.at("/error/code").asInt()).isEqualTo(-32602);
            assertThat(body.at("/error/message").asText()).contains("protocolVersion");
            assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
        }
    }

    @Nested
    class Sessions {

        @Test
        void missingSessionIdIsBadRequest() throws Exception {
            HttpResponse<String> response = fixture.post(null, Map.of(),
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");

            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode body = MAPPER.readTree(response.body());
            assertThat(body.at("/error/code").asInt()).isEqualTo(-32600);
            assertThat(body.at("/error/message").asText()).contains("Mcp-Session-Id", "initialize");
            assertThat(body.at("/id").asInt()).isEqualTo(2);
        }

        @Test
        void unknownSessionIdIsNotFound() throws Exception {
            HttpResponse<String> response = fixture.post("0123456789abcdef0123456789abcdef", Map.of(),
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}");

            assertThat(response.statusCode()).isEqualTo(404);
        }

        @Test
        void deleteEndsSession() throws Exception {
            String session = fixture.initialize("2025-06-18");

            HttpResponse<String> deleted = fixture.http.send(HttpRequest.newBuilder(fixture.uri())
                    .header("Mcp-Session-Id", session).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> after = fixture.post(session, Map.of(), "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");

            assertThat(deleted.statusCode()).isEqualTo(204);
            assertThat(after.statusCode()).isEqualTo(404);
        }

        @Test
        void oldestSessionIsDroppedWhenFull() throws Exception {
            fixture.close();
            fixture = new SuperviseFixture(state, "implementer", builder -> builder.maxSessions(2));
            String first = fixture.initialize("2025-06-18");
            String second = fixture.initialize("2025-06-18");
            String third = fixture.initialize("2025-06-18");

            String ping = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}";
            assertThat(fixture.post(first, Map.of(), ping).statusCode()).isEqualTo(404);
            assertThat(fixture.post(second, Map.of(), ping).statusCode()).isEqualTo(200);
            assertThat(fixture.post(third, Map.of(), ping).statusCode()).isEqualTo(200);
        }

        @Test
        void getStreamIsNotOffered() throws Exception {
            HttpResponse<String> response = fixture.http.send(HttpRequest.newBuilder(fixture.uri())
                    .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("POST, DELETE");
        }

        @Test
        void pingAndNotificationWork() throws Exception {
            String session = fixture.initialize("2025-06-18");

            HttpResponse<String> ping = fixture.post(session, Map.of("MCP-Protocol-Version", "2025-06-18"),
                    "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}");
            HttpResponse<String> notification = fixture.post(session, Map.of(),
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{}}");

            assertThat(MAPPER.readTree(ping.body()).get("result").isObject()).isTrue();
            assertThat(notification.statusCode()).isEqualTo(202);
            assertThat(notification.body()).isEmpty();
        }

        @Test
        void initializeIgnoresFutureProtocolHeader() throws Exception {
            HttpResponse<String> response = fixture.post(null, Map.of("MCP-Protocol-Version", "2030-01-01"), """
                    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2030-01-01"}}""");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(MAPPER.readTree(response.body()).at("/result/protocolVersion").asText()).isEqualTo("2025-11-25");
        }

        @Test
        void unsupportedProtocolHeaderIsBadRequest() throws Exception {
            String session = fixture.initialize("2025-06-18");

            HttpResponse<String> response = fixture.post(session, Map.of("MCP-Protocol-Version", "2030-01-01"),
                    "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).contains("2025-06-18");
        }
    }

    @Nested
    class JsonRpcErrors {

        @Test
        void unknownMethodIsMethodNotFound() throws Exception {
            String session = fixture.initialize("2025-06-18");

            HttpResponse<String> response = fixture.post(session, Map.of(),
                    "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"resources/list\"}");

            JsonNode body = MAPPER.readTree(response.body());
            assertThat(body.at("/error/code").asInt()).isEqualTo(-32601);
            assertThat(body.at("/error/message").asText()).contains("resources/list", "tools/call");
            assertThat(body.at("/id").asInt()).isEqualTo(4);
        }

        @Test
        void badJsonIsParseError() throws Exception {
            String session = fixture.initialize("2025-06-18");

            HttpResponse<String> response = fixture.post(session, Map.of(), "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":");

            assertThat(response.statusCode()).isEqualTo(400);
            JsonNode body = MAPPER.readTree(response.body());
            assertThat(body.at("/error/code").asInt()).isEqualTo(-32700);
            assertThat(body.get("id").isNull()).isTrue();
        }

        @Test
        void trailingDataIsParseError() throws Exception {
            String session = fixture.initialize("2025-06-18");

            HttpResponse<String> response = fixture.post(session, Map.of(),
                    "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"} {\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"ping\"}");

            assertThat(MAPPER.readTree(response.body()).at("/error/code").asInt()).isEqualTo(-32700);
        }

        @Test
        void wrongJsonRpcVersionIsInvalidRequest() throws Exception {
            String session = fixture.initialize("2025-06-18");

            HttpResponse<String> response = fixture.post(session, Map.of(), "{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"ping\"}");

            assertThat(MAPPER.readTree(response.body()).at("/error/code").asInt()).isEqualTo(-32600);
        }

        @Test
        void unknownToolIsInvalidParams() throws Exception {
            String session = fixture.initialize("2025-06-18");

            JsonNode body = fixture.callTool(session, "rm-rf", "{}");

            assertThat(body.at("/error/code").asInt()).isEqualTo(-32602);
            assertThat(body.at("/error/message").asText()).contains("egress-block");
        }

        @Test
        void wrongSchemaIsInvalidParams() throws Exception {
            String session = fixture.initialize("2025-06-18");

            JsonNode body = fixture.callTool(session, "egress-block",
                    "{\"failed_url\":42,\"justification\":\"x\",\"extra\":true}");

            assertThat(body.at("/error/code").asInt()).isEqualTo(-32602);
            assertThat(body.at("/error/message").asText()).contains("failed_url", "extra");
            assertThat(fixture.queue().listPending()).isEmpty();
        }

        @Test
        void inputErrorIsToolResultFrom20251125() throws Exception {
            String session = fixture.initialize("2025-11-25");

            JsonNode body = fixture.callTool(session, "egress-block",
                    "{\"failed_url\":\"https:///no-host\",\"justification\":\"need it\"}");

            assertThat(body.at("/result/isError").asBoolean()).isTrue();
            assertThat(body.at("/result/content/0/text").asText()).contains("failed_url", "host");
        }

        @Test
        void internalErrorHidesExceptionText() throws Exception {
            Files.createDirectories(fixture.queueDirectory.getParent());
            Files.writeString(fixture.queueDirectory, "not a directory");
            String session = fixture.initialize("2025-06-18");

            JsonNode body = fixture.callTool(session, "egress-block",
                    "{\"failed_url\":\"https://api.example.com/\",\"justification\":\"need it\"}");

            assertThat(body.at("/error/code").asInt()).isEqualTo(-32603);
            assertThat(body.at("/error/message").asText()).contains("incident")
                    .doesNotContain(state.toString()).doesNotContain("Exception");
        }
    }

    @Nested
    class Batches {

        @Test
        void batchAllowedIn20250326() throws Exception {
            String session = fixture.initialize("2025-03-26");

            HttpResponse<String> response = fixture.post(session, Map.of(), """
                    [{"jsonrpc":"2.0","id":1,"method":"ping"},
                     {"jsonrpc":"2.0","method":"notifications/initialized"},
                     {"jsonrpc":"2.0","id":2,"method":"nope"}]""");

            JsonNode body = MAPPER.readTree(response.body());
            assertThat(body.isArray()).isTrue();
            assertThat(body).hasSize(2);
            assertThat(body.get(0).get("result").isObject()).isTrue();
            assertThat(body.get(1).at("/error/code").asInt()).isEqualTo(-32601);
        }

        @Test
        void batchRejectedIn20250618() throws Exception {
            String session = fixture.initialize("2025-06-18");

            HttpResponse<String> response = fixture.post(session, Map.of(),
                    "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(MAPPER.readTree(response.body()).at("/error/message").asText()).contains("batch");
        }
    }

    @Nested
    class HttpGuards {

        @Test
        void foreignHostIsForbidden() throws Exception {
            String reply = fixture.raw("POST / HTTP/1.1\r\nHost: attacker.example:" + fixture.server.address().getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");

            assertThat(reply).startsWith("HTTP/1.1 403");
        }

        @Test
        void bundleHostNameIsAccepted() throws Exception {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}";

            String reply = fixture.raw("POST / HTTP/1.1\r\nHost: supervise:" + fixture.server.address().getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);

            assertThat(reply).startsWith("HTTP/1.1 200").containsIgnoringCase("Mcp-Session-Id");
        }

        @Test
        void wrongPortOrMissingHostIsForbidden() throws Exception {
            String wrongPort = fixture.raw("POST / HTTP/1.1\r\nHost: supervise:9999\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
            String noHost = fixture.raw("POST / HTTP/1.0\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n\r\n{}");

            assertThat(wrongPort).startsWith("HTTP/1.1 403");
            assertThat(noHost).startsWith("HTTP/1.1 403");
        }

        @Test
        void nullOriginIsForbidden() throws Exception {
            HttpResponse<String> response = fixture.http.send(HttpRequest.newBuilder(fixture.uri())
                    .header("Origin", "null")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(403);
        }

        @Test
        void chunkedHugeBodyIsTooLarge() throws Exception {
            StringBuilder request = new StringBuilder("POST / HTTP/1.1\r\nHost: 127.0.0.1:" + fixture.server.address().getPort()
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
            String chunk = "x".repeat(4096);
            for (int i = 0; i < 8; i++) {
                request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            }
            request.append("0\r\n\r\n");

            String reply = fixture.raw(request.toString());

            assertThat(reply).startsWith("HTTP/1.1 413");
        }

        @Test
        void browserOriginIsForbidden() throws Exception {
            HttpResponse<String> response = fixture.http.send(HttpRequest.newBuilder(fixture.uri())
                    .header("Origin", "http://evil.example")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(403);
        }

        @Test
        void hugePayloadIsTooLarge() throws Exception {
            String session = fixture.initialize("2025-06-18");
            String huge = "x".repeat(100_000);

            HttpResponse<String> response = fixture.post(session, Map.of(), """
                    {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"egress-block",
                     "arguments":{"failed_url":"https://a.example.com/","justification":"%s"}}}""".formatted(huge));

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(fixture.queue().listPending()).isEmpty();
        }

        @Test
        void wrongContentTypeIsUnsupported() throws Exception {
            HttpResponse<String> response = fixture.http.send(HttpRequest.newBuilder(fixture.uri())
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(415);
        }

        @Test
        void otherPathIsNotFound() throws Exception {
            HttpResponse<String> response = fixture.http.send(HttpRequest.newBuilder(
                    URI.create(fixture.uri() + "admin")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(404);
        }
    }
}
