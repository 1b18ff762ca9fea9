package dev.claudebottle.supervise.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.internal.Json;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A request file: {@code <id>.request.json} in the bottle's queue directory.
 *
 * <pre>{@code
 * {"format": 1, "id": "20261204T203501Z-3f9a2c1b", "bottle": "implementer",
 *  "tool": "egress-block", "created_at": "2026-12-04T20:35:01.123Z",
 *  "summary": "allow egress to api.example.com:443",
 *  "input": {"failed_url": "https://api.example.com/v1", "justification": "..."},
 *  "proposal": {"kind": "egress-allow", "host": "api.example.com", "port": 443}}
 * }</pre>
 */
public record QueuedRequest(
        String id,
        String bottle,
        String tool,
        Instant createdAt,
        String summary,
        ObjectNode input,
        ObjectNode proposal) {

    /** Version of the file layout; readers reject files with a newer one. */
    public static final int FORMAT = 1;

    public QueuedRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(bottle, "bottle");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(proposal, "proposal");
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("format", FORMAT);
        json.put("id", id);
        json.put("bottle", bottle);
        json.put("tool", tool);
        json.put("created_at", createdAt.toString());
        json.put("summary", summary);
        json.set("input", input);
        json.set("proposal", proposal);
        return json;
    }

    /**
     * Reads a request file's tree.
     *
     * @throws IllegalArgumentException naming the first missing or invalid field
     */
    public static QueuedRequest fromJson(JsonNode json) {
        requireFormat(json);
        return new QueuedRequest(
                requiredText(json, "id"),
                requiredText(json, "bottle"),
                requiredText(json, "tool"),
                requiredInstant(json, "created_at"),
                requiredText(json, "summary"),
                requiredObject(json, "input"),
                requiredObject(json, "proposal"));
    }

    static void requireFormat(JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        JsonNode format = json.get("format");
        if (format == null || !format.canConvertToInt() || format.asInt() < 1 || format.asInt() > FORMAT) {
            throw new IllegalArgumentException("field 'format' must be 1; this reader knows format " + FORMAT);
        }
    }

    static String requiredText(JsonNode json, String field) {
        String value = Json.text(json, field);
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
        }
        return value;
    }

    static Instant requiredInstant(JsonNode json, String field) {
        String value = requiredText(json, field);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "' is not an ISO-8601 instant", e);
        }
    }

    static ObjectNode requiredObject(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isObject()) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not an object");
        }
        return (ObjectNode) value;
    }
}
