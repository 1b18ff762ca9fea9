package dev.claudebottle.launcher.dashboard;

import dev.claudebottle.launcher.session.StateDirectory;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One bottle's state folder on the host, {@code <state root>/<identity>/}, as the dashboard uses it.
 *
 * <ul>
 *   <li>{@code bundle/queue/}: supervise's request and response files, mounted into the bundle;</li>
 *   <li>{@code bundle/audit/supervise.jsonl}: the audit log that supervise and the dashboard share;</li>
 *   <li>{@code bundle.yaml}: the bundle config of the running bottle, bind-mounted into the bundle
 *       and re-read there on SIGHUP;</li>
 *   <li>{@code overlay.json}: access approved from the dashboard, which {@code resume} merges with
 *       the manifest ({@link Overlay});</li>
 *   <li>{@code agent.Dockerfile}: the agent image with approved capabilities, built by
 *       {@code resume}.</li>
 * </ul>
 *
 * @param identity the bottle identity, {@code <agent>-<5 characters>}
 * @param folder the state folder
 */
public record BottleState(String identity, Path folder) {

    public static final String OVERLAY_FILE = "overlay.json";
    public static final String AGENT_DOCKERFILE = StateDirectory.AGENT_DOCKERFILE;
    public static final String BUNDLE_CONFIG = "bundle.yaml";

    public BottleState {
        Objects.requireNonNull(identity, "identity");
        folder = folder.toAbsolutePath();
    }

    /** Returns the folder mounted into the bundle at {@code /state}. */
    public Path bundleMount() {
        return folder.resolve("bundle");
    }

    public Path queueDirectory() {
        return bundleMount().resolve("queue");
    }

    public Path auditLog() {
        return bundleMount().resolve("audit").resolve("supervise.jsonl");
    }

    public Path bundleConfig() {
        return folder.resolve(BUNDLE_CONFIG);
    }

    public Path overlayFile() {
        return folder.resolve(OVERLAY_FILE);
    }

    public Path agentDockerfile() {
        return folder.resolve(AGENT_DOCKERFILE);
    }
}
