package dev.claudebottle.supervise.audit;

import java.util.Locale;

/** What happened to a request; written in lower case as the audit line's {@code decision}. */
public enum AuditEvent {
    /** The agent's request was valid and is now in the queue. */
    REQUESTED,
    /** The agent's request was rejected before queueing, for example because a field held a secret. */
    REFUSED,
    APPROVED,
    REJECTED,
    /** A change to the bottle's configuration was applied after an approval. */
    APPLIED;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
