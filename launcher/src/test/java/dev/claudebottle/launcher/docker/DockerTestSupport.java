package dev.claudebottle.launcher.docker;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Shared setup for tests against the real engine: connect or skip, and remove what a test made. */
public final class DockerTestSupport {

    /** The label put on every object a test creates directly, so {@link #removeAll} finds it. */
    public static final String TEST_LABEL = "dev.claudebottle.test";
    public static final String BASE_IMAGE = "debian:trixie-slim";

    private DockerTestSupport() {
    }

    /** Connects to the engine, or skips the test with the reason when there is none. */
    public static DockerEngine engineOrSkip() {
        DockerEngine engine;
        try {
            engine = DockerEngine.connect();
        } catch (RuntimeException e) {
            assumeTrue(false, "no Docker engine: " + e.getMessage());
            throw new AssertionError(e);
        }
        boolean hasBase = !engine.client().listImagesCmd().withImageNameFilter(BASE_IMAGE).exec().isEmpty();
        assumeTrue(hasBase, "the image " + BASE_IMAGE + " is missing; scripts/prepare-machine.sh base-image makes it");
        return engine;
    }

    /** Returns a fresh value for {@link #TEST_LABEL}. */
    public static String newRunId() {
        return UUID.randomUUID().toString();
    }

    public static Map<String, String> labels(String runId) {
        return Map.of(TEST_LABEL, runId);
    }

    /** Removes every container and network carrying the run's test label. */
    public static void removeAll(DockerClient client, String runId) {
        String filter = TEST_LABEL + "=" + runId;
        List<Container> containers = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(TEST_LABEL, runId)).exec();
        for (Container container : containers) {
            client.removeContainerCmd(container.getId()).withForce(true).exec();
        }
        for (Network network : client.listNetworksCmd().withFilter("label", List.of(filter)).exec()) {
            client.removeNetworkCmd(network.getId()).exec();
        }
    }
}
