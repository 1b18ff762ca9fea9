package dev.claudebottle.launcher.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

@Command(name = "completion",
        mixinStandardHelpOptions = true,
        header = "Print a bash completion script.",
        description = {
            "Print a bash completion script (zsh can load it with bashcompinit).",
            "",
            "The script completes the commands and options of a command named claude-bottle, so define one first, for example: alias claude-bottle='java -jar /path/to/launcher.jar'.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  source <(claude-bottle completion)      enable completion in this shell",
            "  claude-bottle completion > ~/.claude-bottle-completion.bash"})
final class CompletionCommand extends ManifestCommand implements Runnable {

    @Override
    public void run() {
        out().print(AutoComplete.bash(LauncherMain.NAME, spec.root().commandLine()));
        out().flush();
    }
}
