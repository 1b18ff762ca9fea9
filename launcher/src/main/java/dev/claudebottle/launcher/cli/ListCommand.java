package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.manifest.ManifestCatalog;
import dev.claudebottle.launcher.manifest.ManifestException;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.session.Bottles;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list",
        mixinStandardHelpOptions = true,
        header = "List the agents that can be started from here.",
        description = {
            "List the agents that can be started from here: those in the home folder and those in the .claude-bottle/agents folder of the current git repository. An agent whose manifests have problems is marked; `claude-bottle validate` shows the problems.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {"  claude-bottle list", "  claude-bottle list --active   running bottles"})
final class ListCommand extends ManifestCommand implements Runnable {

    @Option(names = "--active", description = "List the bottles on the Docker engine instead: identity, agent, age, state.")
    boolean active;

    @Override
    public void run() {
        if (active) {
            listActive();
            return;
        }
        ManifestCatalog catalog = loadCatalog();
        if (catalog.agents().isEmpty()) {
            out().println("no agents in " + catalog.locations().agentsFolder()
                    + "; run `claude-bottle init` to create an example");
            out().flush();
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"AGENT", "BOTTLE", "SOURCE", "STATUS"});
        for (ManifestCatalog.AgentSource source : catalog.agents().values()) {
            String bottle = source.agent().map(agent -> agent.bottle()).orElse("-");
            rows.add(new String[] {source.name(), bottle, source.fromRepository() ? "repository" : "home",
                    status(catalog, source.name())});
        }
        printTable(rows);
        out().println();
        out().println("bottles: " + (catalog.bottleNames().isEmpty() ? "none" : String.join(", ", catalog.bottleNames())));
        out().flush();
    }

    private void listActive() {
        List<Bottles.Active> bottles;
        try (DockerEngine engine = DockerEngine.connect(context().environment())) {
            bottles = new Bottles(engine, context().locations().home().resolve("state")).active();
        }
        if (bottles.isEmpty()) {
            out().println("no active bottles");
            out().flush();
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"IDENTITY", "AGENT", "AGE", "STATE"});
        for (Bottles.Active bottle : bottles) {
            String age = bottle.age().map(d -> d.toMinutes() >= 1 ? d.toMinutes() + "m" : d.toSeconds() + "s").orElse("?");
            rows.add(new String[] {bottle.identity(), bottle.agent(), age,
                    bottle.state() + (bottle.orphaned() ? " (launcher gone; see cleanup)" : "")});
        }
        printTable(rows);
        out().flush();
    }

    private static String status(ManifestCatalog catalog, String agent) {
        try {
            catalog.resolve(agent);
            return "ok";
        } catch (ManifestException e) {
            int count = e.problems().size();
            return count + (count == 1 ? " problem" : " problems") + " (run claude-bottle validate)";
        }
    }

    private void printTable(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out().println(line.toString().stripTrailing());
        }
    }
}
