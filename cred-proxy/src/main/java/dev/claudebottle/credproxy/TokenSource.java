package dev.claudebottle.credproxy;

import java.util.Map;
import java.util.Optional;

/**
 * Supplies token values by the {@code token_ref} name a route gives. bundle-init fills one
 * from the secrets it receives on its tmpfs; the standalone main reads environment variables.
 * Token values never come from the route config.
 *
 * <p>Called on an event-loop thread for every request, so implementations must not block.
 */
@FunctionalInterface
public interface TokenSource {

    /** Returns the token named {@code tokenRef}, or empty when none was provided. */
    Optional<String> token(String tokenRef);

    /** Returns a source backed by a copy of {@code tokens}, keyed by token_ref name. */
    static TokenSource of(Map<String, String> tokens) {
        Map<String, String> copy = Map.copyOf(tokens);
        return tokenRef -> Optional.ofNullable(copy.get(tokenRef)).filter(value -> !value.isEmpty());
    }

    /** Returns a source that reads the environment variable named by each token_ref. */
    static TokenSource fromEnvironment() {
        return tokenRef -> Optional.ofNullable(System.getenv(tokenRef)).filter(value -> !value.isEmpty());
    }
}
