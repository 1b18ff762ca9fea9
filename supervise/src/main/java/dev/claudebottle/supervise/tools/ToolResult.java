package dev.claudebottle.supervise.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.internal.Json;

/**
 * The text a tool call returns to the agent. {@code isError} marks a call that did not do what the
 * agent asked, so the model reads the text as a failure to act on.
 */
public record ToolResult(String text, boolean isError) {

    public static ToolResult ok(String text) {
        return new ToolResult(text, false);
    }

    public static ToolResult error(String text) {
        return new ToolResult(text, true);
    }

    /** Renders an MCP {@code CallToolResult}. */
    public ObjectNode toJson() {
        ObjectNode result = Json.object();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        result.put("isError", isError);
        return result;
    }
}
