package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.manifest.ManifestCatalog;
import dev.claudebottle.launcher.manifest.ManifestProblem;
import dev.claudebottle.launcher.plan.Planner;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;

@Command(name = "validate",
        mixinStandardHelpOptions = true,
        header = "Check every manifest and print every problem.",
        description = {
            "Check every bottle and agent manifest and print every problem as FILE:LINE:COLUMN: problem; fix.",
            "",
            "Besides syntax and keys, it checks what a launch needs from this machine: host variables and token_refs are set, and IdentityFiles and skills exist. Exits with status 1 when any problem is found.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  claude-bottle validate",
            "  CLAUDE_BOTTLE_HOME=./manifests claude-bottle validate   check another folder"})
final class ValidateCommand extends ManifestCommand implements Runnable {

    @Override
    public void run() {
        ManifestCatalog catalog = loadCatalog();
        Set<ManifestProblem> problems = new LinkedHashSet<>(catalog.validateAll());
        problems.addAll(skillProblems(catalog, context().planner()));
        List<ManifestProblem> sorted = problems.stream().sorted(ManifestProblem.BY_POSITION).toList();
        sorted.forEach(out()::println);
        out().flush();

        int files = catalog.bottleNames().size() + catalog.agents().size();
        if (!sorted.isEmpty()) {
            long badFiles = sorted.stream().map(ManifestProblem::file).distinct().count();
            throw new LauncherException("validation failed", sorted.size() + (sorted.size() == 1 ? " problem" : " problems")
                    + " in " + badFiles + " of " + files + " files",
                    "fix the lines listed above and run `claude-bottle validate` again");
        }
        out().println(files == 0
                ? "no manifests in " + catalog.locations().home() + "; run `claude-bottle init` to create examples"
                : "all " + files + " manifests are valid");
        out().flush();
    }

    /** Checks the skills of every agent that parsed, whether or not its bottle is valid. */
    private static List<ManifestProblem> skillProblems(ManifestCatalog catalog, Planner planner) {
        List<ManifestProblem> problems = new ArrayList<>();
        for (ManifestCatalog.AgentSource source : catalog.agents().values()) {
            source.agent().ifPresent(agent -> problems.addAll(planner.skillProblems(agent)));
        }
        return problems;
    }
}
