package dev.claudebottle.launcher.manifest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The folders that manifests are read from: the home folder ({@code ~/.claude-bottle}, or
 * {@code CLAUDE_BOTTLE_HOME}) for bottles and agents, and the {@code .claude-bottle/agents}
 * folder of the git repository the user works in, for agents only.
 *
 * @param home the folder holding {@code bottles/} and {@code agents/}
 * @param repositoryRoot the top folder of the enclosing git work tree, if any
 */
public record ManifestLocations(Path home, Optional<Path> repositoryRoot) {

    public static final String HOME_VARIABLE = "CLAUDE_BOTTLE_HOME";
    public static final String FOLDER = ".claude-bottle";

    /** Finds the home folder and the repository from the environment and working directory. */
    public static ManifestLocations discover(Map<String, String> environment, Path userHome, Path workingDirectory) {
        String override = environment.get(HOME_VARIABLE);
        Path home = override == null || override.isBlank()
                ? userHome.resolve(FOLDER)
                : workingDirectory.resolve(override);
        return new ManifestLocations(home.toAbsolutePath().normalize(), findRepositoryRoot(workingDirectory));
    }

    /**
     * Walks up from {@code start} to the first folder holding {@code .git} (a folder, or a file as
     * in worktrees and submodules). This is what {@code git rev-parse --show-toplevel} returns for
     * an ordinary work tree; it is written out here to avoid starting git for every command.
     */
    static Optional<Path> findRepositoryRoot(Path start) {
        for (Path folder = start.toAbsolutePath().normalize(); folder != null; folder = folder.getParent()) {
            if (Files.exists(folder.resolve(".git"))) {
                return Optional.of(folder);
            }
        }
        return Optional.empty();
    }

    public Path bottlesFolder() {
        return home.resolve("bottles");
    }

    public Path agentsFolder() {
        return home.resolve("agents");
    }

    /** Returns the repository's agents folder, unless it is the home agents folder itself. */
    public Optional<Path> repositoryAgentsFolder() {
        return repositoryRoot.map(root -> root.resolve(FOLDER).resolve("agents"))
                .filter(folder -> !folder.toAbsolutePath().normalize().equals(agentsFolder()));
    }

    /** Returns the repository's bottles folder, which is never read, so its presence only causes a warning. */
    public Optional<Path> repositoryBottlesFolder() {
        return repositoryRoot.map(root -> root.resolve(FOLDER).resolve("bottles"))
                .filter(folder -> !folder.toAbsolutePath().normalize().equals(bottlesFolder()));
    }
}
