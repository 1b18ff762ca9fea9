package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.session.Bottles;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cleanup",
        mixinStandardHelpOptions = true,
        header = "Remove what bottles left behind.",
        description = {
            "List the containers and networks of bottles whose launcher no longer runs (for example one killed with SIGKILL), and state folders with no live bottle and no preserve marker; then ask once before removing them all. State kept for `claude-bottle resume` (a session that ended with an error) is left alone.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  claude-bottle cleanup",
            "  claude-bottle cleanup --yes     remove without asking"})
final class CleanupCommand extends ManifestCommand implements Runnable {

    @Option(names = {"-y", "--yes"}, description = "Remove without asking for confirmation.")
    boolean yes;

    @Override
    public void run() {
        try (DockerEngine engine = DockerEngine.connect(context().environment())) {
            Bottles bottles = new Bottles(engine, context().locations().home().resolve("state"));
            Bottles.Leftovers leftovers = bottles.leftovers();
            if (leftovers.isEmpty()) {
                out().println("nothing to clean up");
                out().flush();
                return;
            }
            leftovers.describe().forEach(line -> out().println(line));
            out().flush();
            if (!yes) {
                if (context().terminal().isEmpty()) {
                    throw new LauncherException("cannot ask whether to remove the leftovers",
                            "standard input or output is not a terminal", "pass --yes to remove without asking");
                }
                String answer = context().terminal().get().readLine("remove these? [y/N] ").orElse("").strip()
                        .toLowerCase(Locale.ROOT);
                if (!answer.equals("y") && !answer.equals("yes")) {
                    out().println("nothing removed");
                    out().flush();
                    return;
                }
            }
            bottles.remove(leftovers);
            int removed = leftovers.describe().size();
            out().println("removed " + removed + (removed == 1 ? " leftover" : " leftovers")
                    + " (a bottle's containers and networks count as one)");
            out().flush();
        }
    }
}
