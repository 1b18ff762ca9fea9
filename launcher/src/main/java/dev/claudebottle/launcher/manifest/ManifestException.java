package dev.claudebottle.launcher.manifest;

import dev.claudebottle.launcher.LauncherException;
import java.util.List;

/**
 * Manifests that cannot be used, with every problem found in them. The message summarises;
 * {@link #problems()} lists each problem with its file, line and column.
 */
public final class ManifestException extends LauncherException {

    private final List<ManifestProblem> problems;

    public ManifestException(String what, List<ManifestProblem> problems) {
        super(what, describeCount(problems), "fix the lines listed above, then run `claude-bottle validate`");
        this.problems = problems.stream().sorted(ManifestProblem.BY_POSITION).toList();
    }

    /** Returns every problem found, ordered by file and position. */
    public List<ManifestProblem> problems() {
        return problems;
    }

    private static String describeCount(List<ManifestProblem> problems) {
        return problems.size() == 1 ? "its manifests have 1 problem" : "its manifests have " + problems.size() + " problems";
    }
}
