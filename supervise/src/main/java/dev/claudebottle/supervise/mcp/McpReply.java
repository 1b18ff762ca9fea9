package dev.claudebottle.supervise.mcp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The HTTP response to one POST or DELETE.
 *
 * @param status the HTTP status code
 * @param body the JSON body, or null for none (202 Accepted, 204 No Content)
 * @param sessionId a new {@code Mcp-Session-Id} to send, set only by {@code initialize}
 */
public record McpReply(int status, JsonNode body, String sessionId) {

    public static McpReply json(int status, JsonNode body) {
        return new McpReply(status, body, null);
    }

    public static McpReply accepted() {
        return new McpReply(202, null, null);
    }
}
