package dev.claudebottle.launcher.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

@Command(name = LauncherMain.NAME,
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Runs Claude Code agents in sealed Docker containers (bottles). A bottle reaches the network only through its sidecar: an egress allowlist with secret scanning, a proxy that injects API tokens the agent never sees, and a git gate that scans pushes.",
            "",
            "Manifests are Markdown files with YAML frontmatter:",
            "  bottles  ~/.claude-bottle/bottles/<name>.md",
            "  agents   ~/.claude-bottle/agents/<name>.md, and",
            "           <repository>/.claude-bottle/agents/<name>.md in a git repository",
            "Set CLAUDE_BOTTLE_HOME to use another folder than ~/.claude-bottle.",
            ""},
        commandListHeading = "%nCommands:%n",
        subcommands = {
            StartCommand.class, ResumeCommand.class, ListCommand.class, StopCommand.class, LogsCommand.class,
            CleanupCommand.class, InfoCommand.class, InitCommand.class,
            EditCommand.class, ValidateCommand.class, VersionCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  claude-bottle init                     create an example bottle and agent",
            "  claude-bottle validate                 check every manifest",
            "  claude-bottle start example --dry-run  show what a launch would create",
            "",
            "Exit status: 0 on success, 1 when a command fails, 2 for invalid usage."})
final class LauncherCommand implements Runnable {

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print the stack trace of unexpected errors.")
    boolean debug;

    @Spec
    CommandSpec spec;

    private final LauncherContext context;

    LauncherCommand(LauncherContext context) {
        this.context = context;
    }

    LauncherContext context() {
        return context;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "no command given");
    }
}
