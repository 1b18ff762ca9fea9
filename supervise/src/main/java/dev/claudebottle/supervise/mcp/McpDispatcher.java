package dev.claudebottle.supervise.mcp;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.internal.Json;
import dev.claudebottle.supervise.mcp.McpSessions.Session;
import dev.claudebottle.supervise.tools.SuperviseTools;
import dev.claudebottle.supervise.tools.ToolDefinition;
import dev.claudebottle.supervise.tools.ToolInputException;
import dev.claudebottle.supervise.tools.ToolResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * The JSON-RPC side of MCP's streamable HTTP transport: sessions, version negotiation, batches and
 * the methods {@code initialize}, {@code ping}, {@code tools/list} and {@code tools/call}.
 *
 * <p>Methods run on the caller's thread, which must not be an event loop because tool calls write
 * files. The returned future completes when the tool has a result. Exception text never reaches the
 * client: an unexpected failure is logged with an incident id, and the client gets -32603 with that id.
 */
public final class McpDispatcher {

    /** Header that carries the session id (MCP streamable HTTP transport, "Session Management"). */
    public static final String SESSION_HEADER = "Mcp-Session-Id";
    /** Header with the negotiated version on requests after initialize (MCP 2025-06-18 and later). */
    public static final String PROTOCOL_VERSION_HEADER = "MCP-Protocol-Version";

    private static final Logger log = LoggerFactory.getLogger(McpDispatcher.class);
    private static final String METHODS = "initialize, ping, tools/list, tools/call";

    private final SuperviseTools tools;
    private final McpSessions sessions;
    private final String bottle;
    private final String serverVersion;
    private final Set<String> toolNames;

    public McpDispatcher(SuperviseTools tools, McpSessions sessions, String bottle, String serverVersion) {
        this.tools = tools;
        this.sessions = sessions;
        this.bottle = bottle;
        this.serverVersion = serverVersion;
        this.toolNames = tools.definitions().stream().map(ToolDefinition::name).collect(Collectors.toSet());
    }

    /** Handles the body of a POST. */
    public CompletableFuture<McpReply> post(String sessionId, String protocolVersionHeader, byte[] body) {
        // Guard ladder: valid JSON, then for anything but initialize a known version and a session.
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return completed(400, JsonRpcError.PARSE_ERROR.response(null, parseErrorMessage(e)));
        } catch (IOException e) {
            throw new AssertionError("reading JSON from a byte array does no I/O", e);
        }
        if (message == null || message.isMissingNode()) {
            return completed(400, JsonRpcError.PARSE_ERROR.response(null,
                    "the request body is empty; send one JSON-RPC 2.0 request object"));
        }
        if (isInitialize(message)) {
            // The version header is checked only after initialize, which is where it is negotiated.
            return CompletableFuture.completedFuture(initialize((ObjectNode) message));
        }
        if (protocolVersionHeader != null && !McpProtocol.isSupported(protocolVersionHeader)) {
            return completed(400, JsonRpcError.INVALID_REQUEST.response(idOf(message), "unsupported "
                    + PROTOCOL_VERSION_HEADER + " header \"" + printable(protocolVersionHeader)
                    + "\"; supported versions are " + McpProtocol.SUPPORTED));
        }

        if (sessionId == null) {
            return completed(400, JsonRpcError.INVALID_REQUEST.response(idOf(message), "missing "
                    + SESSION_HEADER + " header; send initialize first and repeat the " + SESSION_HEADER
                    + " it returns on every later request"));
        }
        Session session = sessions.find(sessionId).orElse(null);
        if (session == null) {
            return completed(404, JsonRpcError.INVALID_REQUEST.response(idOf(message), "unknown "
                    + SESSION_HEADER + "; the session ended or expired, so send initialize again"));
        }

        if (message.isArray()) {
            return batch(session, (ArrayNode) message);
        }
        if (!message.isObject()) {
            return completed(400, JsonRpcError.INVALID_REQUEST.response(null,
                    "the body must be a JSON-RPC 2.0 request object, not " + kind(message)));
        }
        return single(session, message).thenApply(response -> response == null
                ? McpReply.accepted()
                : McpReply.json(isEnvelopeError(response) ? 400 : 200, response));
    }

    /** Handles a DELETE, which ends the session (MCP streamable HTTP transport). */
    public McpReply delete(String sessionId) {
        if (sessionId == null) {
            return McpReply.json(400, JsonRpcError.INVALID_REQUEST.response(null,
                    "missing " + SESSION_HEADER + " header; name the session to end"));
        }
        if (!sessions.remove(sessionId)) {
            return McpReply.json(404, JsonRpcError.INVALID_REQUEST.response(null,
                    "unknown " + SESSION_HEADER + "; the session has already ended"));
        }
        log.info("bottle {}: MCP session ended by the client", bottle);
        return new McpReply(204, null, null);
    }

    private static boolean isInitialize(JsonNode message) {
        return message.isObject() && "initialize".equals(Json.text(message, "method"));
    }

    private McpReply initialize(ObjectNode request) {
        JsonNode id = request.get("id");
        String problem = envelopeProblem(request);
        if (problem != null || id == null) {
            return McpReply.json(400, JsonRpcError.INVALID_REQUEST.response(validId(id),
                    problem != null ? problem : "initialize is a request and needs an id"));
        }
        String requested = Json.text(request.get("params"), "protocolVersion");
        if (requested == null) {
            return McpReply.json(200, JsonRpcError.INVALID_PARAMS.response(id,
                    "params.protocolVersion is missing; send the MCP version you speak, such as \""
                            + McpProtocol.V2025_06_18 + "\""));
        }

        Session session = sessions.create(McpProtocol.negotiate(requested));
        ObjectNode result = Json.object();
        result.put("protocolVersion", session.protocolVersion());
        result.putObject("capabilities").putObject("tools").put("listChanged", false);
        result.putObject("serverInfo")
                .put("name", "claude-bottle-supervise")
                .put("title", "claude-bottle supervise")
                .put("version", serverVersion);
        result.put("instructions", "When a request is blocked by the egress proxy, cred-proxy has no "
                + "route for an API, or the image lacks a tool, do not work around it: ask the operator "
                + "with egress-block, cred-proxy-block or capability-block. list-egress shows what is "
                + "already allowed; check-request gets the decision on a pending request.");
        log.info("bottle {}: MCP session started, protocol {} (client asked for {})", bottle,
                session.protocolVersion(), printable(requested));
        return new McpReply(200, success(id, result), session.id());
    }

    private CompletableFuture<McpReply> batch(Session session, ArrayNode batch) {
        if (!McpProtocol.allowsBatches(session.protocolVersion())) {
            return completed(400, JsonRpcError.INVALID_REQUEST.response(null, "JSON-RPC batches are not "
                    + "part of MCP " + session.protocolVersion() + "; send one request per POST"));
        }
        if (batch.isEmpty()) {
            return completed(400, JsonRpcError.INVALID_REQUEST.response(null,
                    "the batch is empty; send at least one request"));
        }
        List<CompletableFuture<JsonNode>> responses = new ArrayList<>();
        for (JsonNode element : batch) {
            responses.add(isInitialize(element)
                    ? CompletableFuture.completedFuture(JsonRpcError.INVALID_REQUEST.response(
                            validId(element.get("id")), "initialize must be sent alone, not in a batch"))
                    : single(session, element));
        }
        return CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).thenApply(done -> {
            ArrayNode array = Json.array();
            responses.stream().map(CompletableFuture::join).filter(r -> r != null).forEach(array::add);
            return array.isEmpty() ? McpReply.accepted() : McpReply.json(200, array);
        });
    }

    /** Handles one message. The future completes with null for a notification or a client response. */
    private CompletableFuture<JsonNode> single(Session session, JsonNode message) {
        if (!message.isObject()) {
            return CompletableFuture.completedFuture(JsonRpcError.INVALID_REQUEST.response(null,
                    "each batch element must be a JSON-RPC request object, not " + kind(message)));
        }
        JsonNode id = message.get("id");
        String problem = envelopeProblem(message);
        if (problem != null) {
            return CompletableFuture.completedFuture(JsonRpcError.INVALID_REQUEST.response(validId(id), problem));
        }
        if (!message.has("method")) {
            return CompletableFuture.completedFuture(null);
        }

        String method = Json.text(message, "method");
        if (id == null) {
            if ("notifications/initialized".equals(method)) {
                session.markInitialized();
            }
            return CompletableFuture.completedFuture(null);
        }
        try {
            return dispatch(session, method, id, message.get("params"))
                    .exceptionally(failure -> internalError(id, method, failure));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(internalError(id, method, e));
        }
    }

    private CompletableFuture<JsonNode> dispatch(Session session, String method, JsonNode id, JsonNode params) {
        return switch (method) {
            case "ping" -> CompletableFuture.completedFuture(success(id, Json.object()));
            case "tools/list" -> CompletableFuture.completedFuture(success(id, toolList()));
            case "tools/call" -> callTool(session, id, params);
            case "initialize" -> CompletableFuture.completedFuture(JsonRpcError.INVALID_REQUEST.response(id,
                    "this session is already initialized; send initialize without " + SESSION_HEADER
                            + " to start a new one"));
            default -> CompletableFuture.completedFuture(JsonRpcError.METHOD_NOT_FOUND.response(id,
                    "method \"" + printable(method) + "\" is not supported; this server offers " + METHODS));
        };
    }

    private ObjectNode toolList() {
        ObjectNode result = Json.object();
        ArrayNode list = result.putArray("tools");
        tools.definitions().forEach(tool -> list.add(tool.toJson()));
        return result;
    }

    private CompletableFuture<JsonNode> callTool(Session session, JsonNode id, JsonNode params) {
        String name = Json.text(params, "name");
        if (name == null) {
            return CompletableFuture.completedFuture(JsonRpcError.INVALID_PARAMS.response(id,
                    "params.name is missing; name one of the tools from tools/list"));
        }
        if (!toolNames.contains(name)) {
            return CompletableFuture.completedFuture(JsonRpcError.INVALID_PARAMS.response(id,
                    "unknown tool \"" + printable(name) + "\"; the tools are " + toolNames.stream().sorted().toList()));
        }
        try {
            return tools.call(name, params.get("arguments")).thenApply(result -> success(id, result.toJson()));
        } catch (ToolInputException e) {
            JsonNode response = McpProtocol.reportsInputErrorsAsToolResults(session.protocolVersion())
                    ? success(id, ToolResult.error(e.getMessage()).toJson())
                    : JsonRpcError.INVALID_PARAMS.response(id, e.getMessage());
            return CompletableFuture.completedFuture(response);
        }
    }

    private JsonNode internalError(JsonNode id, String method, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String incident = UUID.randomUUID().toString().substring(0, 8);
        log.error("bottle {}: {} failed, incident {}", bottle, method, incident, cause);
        return JsonRpcError.INTERNAL_ERROR.response(id, "internal error in supervise (incident " + incident
                + "); the request may not have been queued. Call list-egress to check, or try again later.");
    }

    /** Checks the parts every JSON-RPC message shares; returns the problem or null. */
    private static String envelopeProblem(JsonNode message) {
        if (!"2.0".equals(Json.text(message, "jsonrpc"))) {
            return "\"jsonrpc\" must be \"2.0\"";
        }
        JsonNode id = message.get("id");
        if (id != null && validId(id) == null) {
            return "\"id\" must be a string or an integer";
        }
        JsonNode method = message.get("method");
        if (method == null) {
            return message.has("result") || message.has("error") ? null : "\"method\" is missing";
        }
        if (!method.isTextual()) {
            return "\"method\" must be a string";
        }
        JsonNode params = message.get("params");
        if (params != null && !params.isObject()) {
            return "\"params\" must be an object";
        }
        return null;
    }

    private static boolean isEnvelopeError(JsonNode response) {
        JsonNode code = response.path("error").path("code");
        return code.isInt() && code.asInt() == JsonRpcError.INVALID_REQUEST.code();
    }

    private static JsonNode validId(JsonNode id) {
        return id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null;
    }

    private static JsonNode idOf(JsonNode message) {
        return message.isObject() ? validId(message.get("id")) : null;
    }

    private static ObjectNode success(JsonNode id, JsonNode result) {
        ObjectNode response = Json.object();
        response.put("jsonrpc", "2.0");
        response.set("id", id);
        response.set("result", result);
        return response;
    }

    private static CompletableFuture<McpReply> completed(int status, JsonNode body) {
        return CompletableFuture.completedFuture(McpReply.json(status, body));
    }

    /** Describes where parsing failed without quoting the body, which may hold anything. */
    private static String parseErrorMessage(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return "the request body is not valid JSON" + where + "; send one JSON-RPC 2.0 request object";
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** Cuts client-supplied text for messages and logs to 64 printable ASCII characters. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 64; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return text.length() > 64 ? out + "..." : out.toString();
    }
}
