package dev.claudebottle.launcher.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and removes the engine objects of bottles by their labels. Every removal is idempotent:
 * an object that is already gone counts as removed, so teardown, {@code stop} and
 * {@code cleanup} may all run over the same bottle.
 */
public final class BottleObjects {

    private final DockerClient client;

    public BottleObjects(DockerClient client) {
        this.client = client;
    }

    /** One bottle as the engine shows it: its containers and networks. */
    public record Found(String identity, String agent, Optional<Instant> started, String launcher,
            List<Container> containers, List<Network> networks) {

        /** Returns whether the launcher that started the bottle still runs. */
        public boolean launcherAlive() {
            return LauncherProcess.alive(launcher);
        }

        /** Returns whether any container of the bottle is running. */
        public boolean running() {
            return containers.stream().anyMatch(container -> "running".equals(container.getState()));
        }

        /** Returns a container of the bottle by its role label. */
        public Optional<Container> container(String role) {
            return containers.stream().filter(c -> role.equals(c.getLabels().get(BottleLabels.ROLE))).findFirst();
        }

        /** Summarizes the containers' states, such as {@code agent running, bundle running}. */
        public String state() {
            if (containers.isEmpty()) {
                return "networks only";
            }
            List<String> parts = new ArrayList<>();
            for (Container container : containers) {
                parts.add(container.getLabels().getOrDefault(BottleLabels.ROLE, "container") + " "
                        + container.getState());
            }
            return String.join(", ", parts);
        }
    }

    /** Lists every labelled bottle, oldest first. */
    public List<Found> list() {
        Map<String, List<Container>> containers = new LinkedHashMap<>();
        Map<String, List<Network>> networks = new LinkedHashMap<>();
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        for (Container container : client.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(BottleLabels.IDENTITY)).exec()) {
            String identity = container.getLabels().get(BottleLabels.IDENTITY);
            containers.computeIfAbsent(identity, key -> new ArrayList<>()).add(container);
            labels.putIfAbsent(identity, container.getLabels());
        }
        for (Network network : client.listNetworksCmd().withFilter("label", List.of(BottleLabels.IDENTITY)).exec()) {
            String identity = network.getLabels().get(BottleLabels.IDENTITY);
            networks.computeIfAbsent(identity, key -> new ArrayList<>()).add(network);
            labels.putIfAbsent(identity, network.getLabels());
        }
        List<Found> found = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> bottle : labels.entrySet()) {
            Map<String, String> first = bottle.getValue();
            found.add(new Found(bottle.getKey(), first.getOrDefault(BottleLabels.AGENT, "?"),
                    parseInstant(first.get(BottleLabels.STARTED)), first.get(BottleLabels.LAUNCHER),
                    containers.getOrDefault(bottle.getKey(), List.of()),
                    networks.getOrDefault(bottle.getKey(), List.of())));
        }
        found.sort(Comparator.comparing((Found f) -> f.started().orElse(Instant.EPOCH)));
        return found;
    }

    /** Finds one bottle by identity. */
    public Optional<Found> find(String identity) {
        return list().stream().filter(found -> found.identity().equals(identity)).findFirst();
    }

    /** Removes a container, killing it first if it runs. */
    public void removeContainer(String nameOrId) {
        try {
            client.removeContainerCmd(nameOrId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Already gone.
        } catch (ConflictException e) {
            // A removal already in progress (teardown racing the shutdown hook) ends the same way.
            if (!String.valueOf(e.getMessage()).contains("already in progress")) {
                throw e;
            }
        }
    }

    /**
     * Stops a container with SIGTERM, waiting up to {@code timeoutSeconds} before the engine
     * kills it, then removes it.
     */
    public void stopAndRemoveContainer(String nameOrId, int timeoutSeconds) {
        try {
            client.stopContainerCmd(nameOrId).withTimeout(timeoutSeconds).exec();
        } catch (NotFoundException e) {
            return;
        } catch (RuntimeException e) {
            // NotModified (already stopped) or a conflict: removal with force below settles it.
        }
        removeContainer(nameOrId);
    }

    /** Removes an image by reference; one that is missing or still used by a container stays. */
    public void removeImage(String reference) {
        try {
            client.removeImageCmd(reference).exec();
        } catch (NotFoundException | ConflictException e) {
            // Missing, or in use by another container: nothing to remove now.
        }
    }

    /** Removes a network, disconnecting any container still attached to it. */
    public void removeNetwork(String nameOrId) {
        try {
            Network network = client.inspectNetworkCmd().withNetworkId(nameOrId).exec();
            if (network.getContainers() != null) {
                for (String container : network.getContainers().keySet()) {
                    try {
                        client.disconnectFromNetworkCmd().withNetworkId(network.getId())
                                .withContainerId(container).withForce(true).exec();
                    } catch (NotFoundException e) {
                        // The container left on its own.
                    }
                }
            }
            client.removeNetworkCmd(network.getId()).exec();
        } catch (NotFoundException e) {
            // Already gone.
        }
    }

    /** Removes everything of one bottle: containers first, then networks. */
    public void removeAll(Found bottle) {
        for (Container container : bottle.containers()) {
            removeContainer(container.getId());
        }
        for (Network network : bottle.networks()) {
            removeNetwork(network.getId());
        }
    }

    private static Optional<Instant> parseInstant(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
