package dev.claudebottle.supervise.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.claudebottle.supervise.internal.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A tool's input schema, loaded from {@code <tool>.schema.json} beside this class. The same tree is
 * listed to the agent and enforced on its input, so the two cannot drift apart.
 */
final class ToolSchema {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final int MAX_ERRORS_SHOWN = 5;

    private final String toolName;
    private final ObjectNode tree;
    private final Schema schema;

    private ToolSchema(String toolName, ObjectNode tree) {
        this.toolName = toolName;
        this.tree = tree;
        this.schema = REGISTRY.getSchema(tree);
    }

    static ToolSchema load(String toolName) {
        String resource = toolName + ".schema.json";
        try (InputStream in = ToolSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + resource + " is missing from the jar");
            }
            return new ToolSchema(toolName, (ObjectNode) Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }

    ObjectNode tree() {
        return tree;
    }

    /**
     * Validates {@code arguments}.
     *
     * @throws ToolInputException listing up to five violations with their JSON paths
     */
    void validate(JsonNode arguments) {
        List<Error> errors = schema.validate(arguments);
        if (errors.isEmpty()) {
            return;
        }
        String shown = errors.stream()
                .limit(MAX_ERRORS_SHOWN)
                .map(Error::toString)
                .collect(Collectors.joining("; "));
        throw new ToolInputException("invalid arguments for " + toolName + ": " + shown
                + ". Check the tool's inputSchema in tools/list and call it again.");
    }
}
