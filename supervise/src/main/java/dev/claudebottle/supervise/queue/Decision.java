package dev.claudebottle.supervise.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.internal.Json;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A response file: {@code <id>.response.json} next to the request, written once by the operator's
 * side.
 *
 * <pre>{@code
 * {"format": 1, "id": "20261204T203501Z-3f9a2c1b", "decision": "approved",
 *  "note": "ok for this sprint", "decided_at": "2026-12-04T20:36:10Z",
 *  "modified_input": {...}, "modified_proposal": {...}}
 * }</pre>
 *
 * <p>{@code decision} is {@code approved} or {@code rejected}. The two {@code modified_} fields are
 * present only when the operator changed the request before approving it; then they replace the
 * request's {@code input} and {@code proposal}.
 *
 * @param note the operator's note on an approval (may be null) or the reason for a rejection
 */
public record Decision(
        String id,
        RequestStatus status,
        String note,
        Instant decidedAt,
        ObjectNode modifiedInput,
        ObjectNode modifiedProposal) {

    public Decision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(decidedAt, "decidedAt");
        if (status == RequestStatus.PENDING) {
            throw new IllegalArgumentException("a decision is approved or rejected, not pending");
        }
        if ((modifiedInput == null) != (modifiedProposal == null)) {
            throw new IllegalArgumentException("modifiedInput and modifiedProposal go together");
        }
    }

    public boolean approved() {
        return status == RequestStatus.APPROVED;
    }

    public boolean modified() {
        return modifiedInput != null;
    }

    /** The proposal to apply: the operator's modified one, or else the request's own. */
    public ObjectNode effectiveProposal(QueuedRequest request) {
        return modified() ? modifiedProposal : request.proposal();
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("format", QueuedRequest.FORMAT);
        json.put("id", id);
        json.put("decision", status.name().toLowerCase(Locale.ROOT));
        if (note != null) {
            json.put("note", note);
        }
        json.put("decided_at", decidedAt.toString());
        if (modified()) {
            json.set("modified_input", modifiedInput);
            json.set("modified_proposal", modifiedProposal);
        }
        return json;
    }

    /**
     * Reads a response file's tree.
     *
     * @throws IllegalArgumentException naming the first missing or invalid field
     */
    public static Decision fromJson(JsonNode json) {
        QueuedRequest.requireFormat(json);
        String decision = QueuedRequest.requiredText(json, "decision");
        RequestStatus status = switch (decision) {
            case "approved" -> RequestStatus.APPROVED;
            case "rejected" -> RequestStatus.REJECTED;
            default -> throw new IllegalArgumentException(
                    "field 'decision' must be \"approved\" or \"rejected\", not \"" + decision + "\"");
        };
        JsonNode modifiedInput = json.get("modified_input");
        JsonNode modifiedProposal = json.get("modified_proposal");
        return new Decision(
                QueuedRequest.requiredText(json, "id"),
                status,
                Json.text(json, "note"),
                QueuedRequest.requiredInstant(json, "decided_at"),
                modifiedInput instanceof ObjectNode input ? input : null,
                modifiedProposal instanceof ObjectNode proposal ? proposal : null);
    }
}
