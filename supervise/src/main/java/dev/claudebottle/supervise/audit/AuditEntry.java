package dev.claudebottle.supervise.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.internal.Json;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the audit log.
 *
 * @param time when the event happened
 * @param bottle the bottle the request came from
 * @param tool the canonical tool name, such as {@code egress-block}
 * @param requestId the queue id, or null for a request that never reached the queue
 * @param event what happened
 * @param input the tool input with secret-looking values already replaced; never a raw secret
 * @param note the operator's note or reason, or the refusal reason; may be null
 * @param before the configuration (or input) before a change; null when nothing changed
 * @param after the configuration (or input) after a change; null when nothing changed
 */
public record AuditEntry(
        Instant time,
        String bottle,
        String tool,
        String requestId,
        AuditEvent event,
        JsonNode input,
        String note,
        JsonNode before,
        JsonNode after) {

    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(bottle, "bottle");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(event, "event");
    }

    /** Renders the entry as one JSON object; {@code diff} appears only when a change is recorded. */
    public ObjectNode toJson() {
        ObjectNode line = Json.object();
        line.put("time", time.toString());
        line.put("bottle", bottle);
        line.put("tool", tool);
        if (requestId != null) {
            line.put("request_id", requestId);
        }
        line.put("decision", event.jsonName());
        if (input != null) {
            line.set("input", input);
        }
        if (note != null) {
            line.put("note", note);
        }
        if (before != null || after != null) {
            ObjectNode diff = line.putObject("diff");
            diff.set("before", before);
            diff.set("after", after);
        }
        return line;
    }
}
