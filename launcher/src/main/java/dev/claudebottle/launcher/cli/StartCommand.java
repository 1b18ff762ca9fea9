package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.manifest.ResolvedAgent;
import dev.claudebottle.launcher.plan.BottlePlan;
import dev.claudebottle.launcher.plan.PlanJson;
import dev.claudebottle.launcher.preflight.Confirmation;
import dev.claudebottle.launcher.preflight.PreflightReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "start",
        mixinStandardHelpOptions = true,
        header = "Start an agent in a new bottle.",
        description = {
            "Loads the agent and its bottle, checks them, prints the preflight (what the bottle grants) on standard error and asks `launch this agent? [y/N]` on the terminal. With --dry-run it prints the plan on standard output and creates nothing: no container, network, image or state folder.",
            "",
            "Then it builds missing or outdated images, starts the bottle and attaches to `claude` in it. With a command after --, it runs that command instead (without a TTY when standard input is not a terminal) and exits with its exit code. The command gets no standard input unless a terminal is attached.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  claude-bottle start reviewer --dry-run               print the plan",
            "  claude-bottle start reviewer --dry-run --format json  plan for scripts",
            "  claude-bottle start reviewer --yes                   launch, no question",
            "  claude-bottle start reviewer --yes -- npm test       run one command",
            "  claude-bottle start reviewer --cwd .                 copy this folder in"})
final class StartCommand extends ManifestCommand implements Runnable, CommandLine.IExitCodeGenerator {

    @Parameters(index = "0", paramLabel = "AGENT", description = "The agent's name: its file name without .md.")
    String agent;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "A command to run instead of claude (after --).")
    List<String> command = new ArrayList<>();

    @Mixin
    SessionFlags session;

    private int exitCode;

    @Option(names = "--dry-run", description = "Print the plan and stop; nothing is created.")
    boolean dryRun;

    @Option(names = {"-y", "--yes"}, description = "Launch without asking for confirmation.")
    boolean yes;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "How --dry-run prints the plan: text or json (default: text).")
    OutputFormat format;

    @Override
    public void run() {
        if (format == OutputFormat.JSON && !dryRun) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format json needs --dry-run, because a launch prints its preflight for a person");
        }
        ResolvedAgent resolved = loadCatalog().resolve(agent);
        BottlePlan plan = context().planner().plan(resolved);
        Optional<Path> tree = session.checkedWorkingTree(context());
        if (dryRun) {
            out().print(format == OutputFormat.JSON ? PlanJson.write(plan) : PreflightReport.render(plan)
                    + tree.map(folder -> "  workspace  a copy of " + folder + "\n").orElse(""));
            out().flush();
            return;
        }
        err().print(PreflightReport.render(plan));
        err().flush();
        Confirmation.require(agent, yes, context().terminal());
        exitCode = session.launch(plan, command, false, context(), err(), out());
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
