package dev.claudebottle.launcher.plan;

/**
 * The OCI runtime the bottle's containers would run under.
 *
 * @param name the Docker runtime name, {@code runsc} (gVisor) or {@code runc}
 * @param reason why this runtime was chosen, for the preflight
 */
public record ContainerRuntime(String name, String reason) {

    public static final String GVISOR = "runsc";
    public static final String DEFAULT = "runc";
}
