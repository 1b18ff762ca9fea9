package dev.claudebottle.supervise.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * A validated tool input, ready to be queued.
 *
 * @param input the input as stored: normalised, and free of anything that looks like a secret
 * @param proposal the configuration change an approval means, derived from the input; for
 *     {@code egress-block} {@code {"kind":"egress-allow","host":...,"port":...}}, for
 *     {@code cred-proxy-block} {@code {"kind":"credential-route",...}}, for
 *     {@code capability-block} {@code {"kind":"capability",...}}
 * @param summary one line for the operator, such as {@code allow egress to api.example.com:443}
 */
public record PreparedRequest(ObjectNode input, ObjectNode proposal, String summary) {

    public PreparedRequest {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(proposal, "proposal");
        Objects.requireNonNull(summary, "summary");
    }
}
