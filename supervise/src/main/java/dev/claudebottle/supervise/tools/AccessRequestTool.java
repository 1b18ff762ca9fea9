package dev.claudebottle.supervise.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.EgressSnapshot;
import dev.claudebottle.supervise.queue.Decision;
import dev.claudebottle.supervise.queue.PreparedRequest;
import dev.claudebottle.supervise.queue.QueuedRequest;

/**
 * A tool that asks the operator for access. {@link SuperviseTools} drives each call in this order:
 * the secret check and the control-character check over every string argument, the JSON Schema,
 * {@link #prepare}, {@link #alreadySatisfied}, then the queue (or a pending request with the same
 * proposal) and the wait for a decision. A tool rejects input by throwing
 * {@link ToolInputException} from {@code prepare}, and nothing is queued then.
 */
interface AccessRequestTool {

    ToolDefinition definition();

    /**
     * Checks what the schema cannot (URL shape, host names, consistency) and derives the proposal.
     * Runs after the schema has accepted {@code arguments}.
     */
    PreparedRequest prepare(ObjectNode arguments);

    /**
     * Returns a message without queueing when the request is moot, such as a host that is already on
     * the allowlist; otherwise null.
     */
    default String alreadySatisfied(PreparedRequest request, EgressSnapshot current) {
        return null;
    }

    /** Tells the agent what the approval changes and what to do next. */
    String approvedText(QueuedRequest request, Decision decision);
}
