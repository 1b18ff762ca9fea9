package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.manifest.ManifestCatalog;
import dev.claudebottle.launcher.manifest.ManifestException;
import dev.claudebottle.launcher.manifest.ManifestProblem;
import dev.claudebottle.launcher.manifest.ResolvedAgent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "edit",
        mixinStandardHelpOptions = true,
        header = "Edit an agent's manifest and check it on save.",
        description = {
            "Open an agent's manifest in $VISUAL or $EDITOR (vi when neither is set). When the editor exits, the agent and its bottle are checked; on a problem the list is printed and, on a terminal, the file can be reopened to fix it.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  claude-bottle edit reviewer",
            "  EDITOR='code --wait' claude-bottle edit reviewer"})
final class EditCommand extends ManifestCommand implements Runnable {

    static final String REOPEN_QUESTION = "edit again? [Y/n] ";

    @Parameters(paramLabel = "AGENT", description = "The agent's name: its file name without .md.")
    String agent;

    @Override
    public void run() {
        Path file = agentFile(loadCatalog());
        while (true) {
            runEditor(file);
            List<ManifestProblem> problems = check();
            if (problems.isEmpty()) {
                out().println("agent " + agent + " is valid");
                out().flush();
                return;
            }
            problems.forEach(err()::println);
            err().flush();
            if (!wantsToReopen()) {
                throw new LauncherException("agent " + agent + " is saved but invalid",
                        problems.size() + (problems.size() == 1 ? " problem remains" : " problems remain"),
                        "fix the lines listed above with `claude-bottle edit " + agent + "`");
            }
        }
    }

    private Path agentFile(ManifestCatalog catalog) {
        ManifestCatalog.AgentSource source = catalog.agents().get(agent);
        if (source == null) {
            catalog.resolve(agent);
            throw new AssertionError("resolve reports a missing agent");
        }
        return source.file();
    }

    /** Checks the agent with its bottle and skills, as start would. */
    private List<ManifestProblem> check() {
        try {
            ResolvedAgent resolved = context().loadCatalog().resolve(agent);
            return context().planner().skillProblems(resolved);
        } catch (ManifestException e) {
            return e.problems();
        }
    }

    private boolean wantsToReopen() {
        return context().terminal()
                .map(terminal -> terminal.readLine(REOPEN_QUESTION).orElse("n").strip().toLowerCase(Locale.ROOT))
                .map(answer -> answer.isEmpty() || answer.equals("y") || answer.equals("yes"))
                .orElse(false);
    }

    private void runEditor(Path file) {
        List<String> command = new ArrayList<>(editorCommand());
        command.add(file.toString());
        int exit;
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            exit = process.waitFor();
        } catch (IOException e) {
            throw new LauncherException("cannot start the editor " + command.get(0), e.getMessage(),
                    "set EDITOR to an installed editor, for example EDITOR=nano", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("editing " + file + " was interrupted", "the launcher was interrupted",
                    "run the command again");
        }
        if (exit != 0) {
            throw new LauncherException("the editor " + command.get(0) + " failed", "it exited with status " + exit,
                    "check the editor, or set EDITOR to another one");
        }
    }

    /** Splits the editor setting into a command and its arguments, because EDITOR may contain some, as in "code --wait". */
    private List<String> editorCommand() {
        for (String variable : List.of("VISUAL", "EDITOR")) {
            String value = context().environment().get(variable);
            if (value != null && !value.isBlank()) {
                return Arrays.asList(value.strip().split("\\s+"));
            }
        }
        return List.of("vi");
    }
}
