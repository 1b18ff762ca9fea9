package dev.claudebottle.supervise.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.internal.Json;

/** JSON-RPC 2.0 error codes (JSON-RPC 2.0 specification, section 5.1). */
public enum JsonRpcError {
    PARSE_ERROR(-32700),
    INVALID_REQUEST(-32600),
    METHOD_NOT_FOUND(-32601),
    INVALID_PARAMS(-32602),
    INTERNAL_ERROR(-32603);

    private final int code;

    JsonRpcError(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Builds an error response; {@code id} is null when the request's id could not be read. */
    public ObjectNode response(JsonNode id, String message) {
        ObjectNode response = Json.object();
        response.put("jsonrpc", "2.0");
        response.set("id", id == null ? NullNode.getInstance() : id);
        response.putObject("error").put("code", code).put("message", message);
        return response;
    }
}
