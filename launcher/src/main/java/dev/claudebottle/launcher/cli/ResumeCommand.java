package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.dashboard.BottleState;
import dev.claudebottle.launcher.dashboard.Overlay;
import dev.claudebottle.launcher.plan.Identity;
import dev.claudebottle.launcher.manifest.ResolvedAgent;
import dev.claudebottle.launcher.plan.BottlePlan;
import dev.claudebottle.launcher.plan.Planner;
import dev.claudebottle.launcher.preflight.PreflightReport;
import dev.claudebottle.launcher.session.Launches;
import dev.claudebottle.launcher.session.SessionRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "resume",
        mixinStandardHelpOptions = true,
        header = "Restart a bottle by its identity.",
        description = {
            "Restart a bottle by its identity, with its manifest plus the access approved for it: a fresh bottle with the same identity and working tree, the snapshot of ~/.claude restored, and Claude Code started with --continue.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  claude-bottle resume reviewer-k3x9a",
            "  claude-bottle resume reviewer-k3x9a --dry-run       the plan, with approvals since",
            "  claude-bottle resume reviewer-k3x9a -- npm test     run one command"})
final class ResumeCommand extends ManifestCommand implements Runnable, CommandLine.IExitCodeGenerator {

    @Parameters(index = "0", paramLabel = "IDENTITY", description = "The bottle identity, <agent>-<5 characters>, as start printed it.")
    String identity;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "A command to run instead of claude --continue (after --).")
    List<String> command = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print the plan, with the access approved since, and stop; nothing is created.")
    boolean dryRun;

    @Mixin
    SessionFlags session;

    private int exitCode;

    @Override
    public void run() {
        if (!Identity.isWellFormed(identity)) {
            throw new LauncherException("cannot resume '" + identity + "'",
                    "a bottle identity is <agent>-<5 lower-case letters or digits>, such as reviewer-k3x9a",
                    "copy the identity from the preflight of `claude-bottle start`");
        }
        Path stateFolder = context().locations().home().resolve("state").resolve(identity);
        SessionRecord record = Launches.record(stateFolder, identity);
        BottleState state = new BottleState(identity, stateFolder);
        Overlay overlay = Overlay.read(state);
        ResolvedAgent resolved = overlay.mergeInto(loadCatalog().resolve(record.agent()));
        BottlePlan plan = new Planner(context().runtimeProbe(), context().skillsFolder(),
                context().locations().home().resolve("state"), agent -> identity).plan(resolved);
        if (overlay.agentDockerfile(state).isPresent()) {
            plan = plan.withAgentImage(BottlePlan.Images.bottleAgent(identity));
        }
        if (session.cwd == null && record.workingTree() != null) {
            session.cwd = Path.of(record.workingTree());
        }
        if (session.bundleNetworks.isEmpty()) {
            session.bundleNetworks.addAll(record.extraNetworks());
        }
        if (dryRun) {
            out().print(PreflightReport.render(plan));
            describeApprovals(overlay, state, out());
            out().flush();
            return;
        }
        err().print(PreflightReport.render(plan));
        describeApprovals(overlay, state, err());
        exitCode = session.launch(plan, command, true, context(), err(), out());
    }

    /** Says what the dashboard approved for this bottle, which the plan above already contains. */
    private static void describeApprovals(Overlay overlay, BottleState state, PrintWriter to) {
        List<String> parts = new ArrayList<>();
        if (!overlay.allowlist().isEmpty()) {
            parts.add("hosts " + String.join(", ", overlay.allowlist()));
        }
        if (!overlay.routes().isEmpty()) {
            parts.add("routes " + String.join(", ", overlay.routes().stream()
                    .map(route -> String.valueOf(route.get("path"))).toList()));
        }
        overlay.agentDockerfile(state).ifPresent(file -> parts.add("the agent image built from " + file));
        if (!parts.isEmpty()) {
            to.println("  approved   " + String.join("; ", parts) + " (from the dashboard, in "
                    + state.overlayFile() + ")");
        }
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
