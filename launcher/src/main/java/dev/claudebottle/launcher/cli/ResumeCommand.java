package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.plan.Identity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "resume",
        mixinStandardHelpOptions = true,
        header = "Restart a bottle by its identity.",
        description = {
            "Restart a bottle by its identity, with its manifest plus the access approved for it.",
            "",
            "NOTE: this build cannot create containers yet, so resume only checks the identity.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = "  claude-bottle resume reviewer-k3x9a")
final class ResumeCommand extends ManifestCommand implements Runnable {

    @Parameters(paramLabel = "IDENTITY", description = "The bottle identity, <agent>-<5 characters>, as start printed it.")
    String identity;

    @Override
    public void run() {
        if (!Identity.isWellFormed(identity)) {
            throw new LauncherException("cannot resume '" + identity + "'",
                    "a bottle identity is <agent>-<5 lower-case letters or digits>, such as reviewer-k3x9a",
                    "copy the identity from the preflight of `claude-bottle start`");
        }
        throw new LauncherException("cannot resume bottle " + identity,
                "resuming needs container support, which this build does not have yet",
                "start a new bottle with `claude-bottle start` once a build with container support is installed");
    }
}
