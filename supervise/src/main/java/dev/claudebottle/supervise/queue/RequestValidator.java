package dev.claudebottle.supervise.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks an input that the operator modified before approving, with the same rules the tool applies
 * to the agent's input.
 */
@FunctionalInterface
public interface RequestValidator {

    /**
     * Validates {@code input} for {@code tool}.
     *
     * @return the input as it would be stored, with the proposal derived from it
     * @throws IllegalArgumentException with a message naming the field, the problem and the fix
     */
    PreparedRequest validate(String tool, ObjectNode input);
}
