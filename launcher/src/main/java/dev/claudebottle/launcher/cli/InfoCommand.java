package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.manifest.ResolvedAgent;
import dev.claudebottle.launcher.plan.PlanJson;
import dev.claudebottle.launcher.plan.Planner;
import dev.claudebottle.launcher.preflight.PreflightReport;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "info",
        mixinStandardHelpOptions = true,
        header = "Show an agent's resolved configuration, without secret values.",
        description = {
            "Show an agent's resolved configuration: its bottle with all extends parents merged, environment variable names and where their values come from, skills, git remotes, cred-proxy routes and the effective egress allowlist. Values of variables and tokens are never shown.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  claude-bottle info reviewer",
            "  claude-bottle info reviewer --format json"})
final class InfoCommand extends ManifestCommand implements Runnable {

    @Parameters(paramLabel = "AGENT", description = "The agent's name: its file name without .md.")
    String agent;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: text or json (default: text).")
    OutputFormat format;

    @Override
    public void run() {
        ResolvedAgent resolved = loadCatalog().resolve(agent);
        List<String> allowlist = Planner.effectiveAllowlist(resolved);
        out().print(format == OutputFormat.JSON
                ? PlanJson.write(resolved, allowlist)
                : PreflightReport.renderAgent(resolved, allowlist));
        out().flush();
    }
}
