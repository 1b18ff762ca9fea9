package dev.claudebottle.supervise.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.internal.Json;

/**
 * A tool as {@code tools/list} shows it.
 *
 * @param readOnly true for tools that change nothing, which lets a client skip its confirmation
 */
public record ToolDefinition(String name, String title, String description, ObjectNode inputSchema,
        boolean readOnly) {

    public ObjectNode toJson() {
        ObjectNode tool = Json.object();
        tool.put("name", name);
        tool.put("title", title);
        tool.put("description", description);
        tool.set("inputSchema", inputSchema.deepCopy());
        ObjectNode annotations = tool.putObject("annotations");
        annotations.put("title", title);
        annotations.put("readOnlyHint", readOnly);
        annotations.put("destructiveHint", false);
        annotations.put("openWorldHint", false);
        return tool;
    }

    /** Returns a copy listed under another name, for aliases such as {@code pipelock-block}. */
    public ToolDefinition withName(String alias, String aliasDescription) {
        return new ToolDefinition(alias, title, aliasDescription, inputSchema, readOnly);
    }
}
