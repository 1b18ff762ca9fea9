package dev.claudebottle.egress.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Resolves a normalised host once: IP literals directly, names in the configured {@code resolve}
 * map from the map (like /etc/hosts), other names through the system resolver on a blocking
 * executor, never on an event loop.
 */
public final class HostResolver {

    private final Map<String, List<InetAddress>> pinned;
    private final Executor blockingExecutor;

    public HostResolver(Map<String, List<InetAddress>> pinned, Executor blockingExecutor) {
        this.pinned = Map.copyOf(pinned);
        this.blockingExecutor = blockingExecutor;
    }

    /**
     * Returns the addresses of {@code host}; the future completes exceptionally with
     * {@link UnknownHostException} when the name does not resolve.
     */
    public CompletableFuture<List<InetAddress>> resolve(String host) {
        Optional<InetAddress> literal = IpLiterals.parse(host);
        if (literal.isPresent()) {
            return CompletableFuture.completedFuture(List.of(literal.get()));
        }
        List<InetAddress> fromMap = pinned.get(host);
        if (fromMap != null) {
            return CompletableFuture.completedFuture(fromMap);
        }
        return CompletableFuture.supplyAsync(() -> lookUp(host), blockingExecutor);
    }

    private static List<InetAddress> lookUp(String host) {
        try {
            return Arrays.asList(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }
}
