package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.session.Bottles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stop",
        mixinStandardHelpOptions = true,
        header = "Stop a running bottle.",
        description = {
            "Remove a bottle's containers and networks. A launcher still attached to it sees its command end and finishes the teardown; a bottle left by a killed launcher keeps its state for `claude-bottle resume`.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = "  claude-bottle stop reviewer-k3x9a")
final class StopCommand extends ManifestCommand implements Runnable {

    @Parameters(paramLabel = "IDENTITY", description = "The bottle identity, as `claude-bottle list --active` shows it.")
    String identity;

    @Override
    public void run() {
        try (DockerEngine engine = DockerEngine.connect(context().environment())) {
            new Bottles(engine, context().locations().home().resolve("state")).stop(identity);
        }
        out().println("stopped " + identity);
        out().flush();
    }
}
