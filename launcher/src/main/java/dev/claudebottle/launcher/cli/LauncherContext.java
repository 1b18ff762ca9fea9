package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.manifest.HostEnvironment;
import dev.claudebottle.launcher.manifest.ManifestCatalog;
import dev.claudebottle.launcher.manifest.ManifestLocations;
import dev.claudebottle.launcher.plan.DockerCliRuntimeProbe;
import dev.claudebottle.launcher.plan.Identity;
import dev.claudebottle.launcher.plan.Planner;
import dev.claudebottle.launcher.plan.RuntimeProbe;
import dev.claudebottle.launcher.preflight.Terminal;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The inputs that commands read from the machine, gathered in one place so that tests can run them
 * against a temporary home folder, a chosen environment and a scripted terminal.
 *
 * @param environment the process environment
 * @param userHome the user's home folder
 * @param workingDirectory the folder the command runs in, which decides the repository
 * @param terminal the terminal for questions, empty when input or output is not one
 * @param runtimeProbe chooses the container runtime
 * @param identities mints bottle identities
 */
public record LauncherContext(Map<String, String> environment, Path userHome, Path workingDirectory,
        Optional<Terminal> terminal, RuntimeProbe runtimeProbe, UnaryOperator<String> identities) {

    public LauncherContext {
        environment = Map.copyOf(environment);
    }

    /** Returns the context of this process. */
    public static LauncherContext system() {
        return new LauncherContext(System.getenv(), Path.of(System.getProperty("user.home")),
                Path.of("").toAbsolutePath(), Terminal.attached(), new DockerCliRuntimeProbe(), Identity::mint);
    }

    public HostEnvironment host() {
        return new HostEnvironment(environment, userHome);
    }

    public ManifestLocations locations() {
        return ManifestLocations.discover(environment, userHome, workingDirectory);
    }

    public ManifestCatalog loadCatalog() {
        return ManifestCatalog.load(locations(), host());
    }

    /** Returns the host's Claude Code skills folder, {@code ~/.claude/skills}. */
    public Path skillsFolder() {
        return userHome.resolve(".claude").resolve("skills");
    }

    public Planner planner() {
        return new Planner(runtimeProbe, skillsFolder(), locations().home().resolve("state"), identities);
    }
}
