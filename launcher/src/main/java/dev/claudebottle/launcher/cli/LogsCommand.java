package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.session.Bottles;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs",
        mixinStandardHelpOptions = true,
        header = "Show the log of a bottle's bundle.",
        description = {
            "Print the bundle's log: one JSON object per line with time, level, service and message. Egress decisions, refused DNS lookups and access requests all appear here.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  claude-bottle logs reviewer-k3x9a",
            "  claude-bottle logs reviewer-k3x9a --service egress --follow"})
final class LogsCommand extends ManifestCommand implements Runnable {

    @Parameters(paramLabel = "IDENTITY", description = "The bottle identity, as `claude-bottle list --active` shows it.")
    String identity;

    @Option(names = "--service", paramLabel = "SERVICE",
            description = "Only lines of this service: egress, cred-proxy, git-gate, supervise, dns or bundle.")
    String service;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the bottle stops or Ctrl-C.")
    boolean follow;

    @Override
    public void run() {
        try (DockerEngine engine = DockerEngine.connect(context().environment())) {
            new Bottles(engine, context().locations().home().resolve("state"))
                    .logs(identity, Optional.ofNullable(service), follow, line -> {
                        out().println(line);
                        out().flush();
                    });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
