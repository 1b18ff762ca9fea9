package dev.claudebottle.supervise.queue;

/** Where a request stands: no response file yet, or the operator's decision. */
public enum RequestStatus {
    PENDING,
    APPROVED,
    REJECTED
}
