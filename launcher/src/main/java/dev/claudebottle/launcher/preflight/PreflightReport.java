package dev.claudebottle.launcher.preflight;

import dev.claudebottle.credproxy.roles.AgentSetup;
import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.credproxy.route.RouteRole;
import dev.claudebottle.launcher.manifest.Bottle;
import dev.claudebottle.launcher.manifest.EnvValue;
import dev.claudebottle.launcher.manifest.GitRemote;
import dev.claudebottle.launcher.manifest.ResolvedAgent;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders what a bottle grants, as the user checks it before saying yes. It shows the names of
 * environment variables, token variables and key files, never their values.
 */
public final class PreflightReport {

    /** How many allowed hosts the summary line names before "+N more". */
    static final int HOSTS_SHOWN = 3;
    private static final String INDENT = "  ";
    private static final int LABEL_WIDTH = 11;

    private PreflightReport() {
    }

    /** Renders the preflight of {@code plan}: identity, runtime and images, then the grants. */
    public static String render(BottlePlan plan) {
        List<String> lines = new ArrayList<>();
        lines.add("claude-bottle preflight for agent " + plan.agent().name());
        lines.add(row("identity", plan.identity()));
        addGrants(lines, plan.resolved(), plan.allowlist());
        lines.add(row("roles", describeAgentSetup(plan.agentSetup())));
        lines.add(row("runtime", plan.runtime().name() + " (" + plan.runtime().reason() + ")"));
        lines.add(row("images", plan.images().agent() + ", " + plan.images().bundle()));
        lines.add(row("state", plan.stateFolder() + (Files.isDirectory(plan.stateFolder())
                ? " (kept from the last session)" : " (created at launch)")));
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    /** Renders the resolved configuration of an agent, without anything that needs Docker. */
    public static String renderAgent(ResolvedAgent resolved, List<String> allowlist) {
        List<String> lines = new ArrayList<>();
        lines.add("agent " + resolved.agent().name());
        addGrants(lines, resolved, allowlist);
        lines.add(row("hosts", String.join(", ", allowlist)));
        lines.add(row("prompt", resolved.agent().systemPrompt().isEmpty()
                ? "none (the file has no body)"
                : resolved.agent().systemPrompt().length() + " characters from the file's body"));
        return String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    private static void addGrants(List<String> lines, ResolvedAgent resolved, List<String> allowlist) {
        Bottle bottle = resolved.bottle();
        lines.add(row("agent", resolved.agent().name() + " (" + resolved.agent().file() + ")"));
        String parents = bottle.chain().size() > 1
                ? ", extends " + String.join(", ", bottle.chain().subList(0, bottle.chain().size() - 1))
                : "";
        lines.add(row("bottle", bottle.name() + " (" + bottle.file() + parents + ")"));
        lines.add(row("env", describeEnv(bottle.env())));
        lines.add(row("skills", resolved.agent().skills().isEmpty() ? "none"
                : String.join(", ", resolved.agent().skills())));
        lines.add(row("egress", describeHosts(allowlist)));
        if (!bottle.privateHosts().isEmpty()) {
            lines.add(row("private", "may reach private addresses: " + String.join(", ", bottle.privateHosts())));
        }
        if (!bottle.upstreamCa().isEmpty()) {
            lines.add(row("upstream", "also trusts the CAs in " + bottle.upstreamCa().stream().map(Path::toString)
                    .collect(Collectors.joining(", "))));
        }
        lines.add(row("tls", "egress-proxy decrypts HTTPS with a CA minted for this bottle to scan for secrets"
                + " (DLP action: " + bottle.dlpAction().manifestName() + ")"));
        addGit(lines, bottle.git());
        addRoutes(lines, bottle.routes());
        lines.add(row("supervise", bottle.supervise() ? "on (the agent can ask the operator for access)" : "off"));
    }

    /** Summarises the allowlist as "N hosts allowed (a, b, c +M more)". */
    public static String describeHosts(List<String> hosts) {
        String shown = hosts.stream().limit(HOSTS_SHOWN).collect(Collectors.joining(", "));
        int more = hosts.size() - Math.min(hosts.size(), HOSTS_SHOWN);
        return hosts.size() + (hosts.size() == 1 ? " host" : " hosts") + " allowed (" + shown
                + (more > 0 ? " +" + more + " more" : "") + ")";
    }

    /** Names what the route roles set in the agent, such as "ANTHROPIC_BASE_URL, ~/.npmrc". */
    private static String describeAgentSetup(AgentSetup setup) {
        List<String> names = new ArrayList<>(setup.environment().keySet().stream().sorted().toList());
        setup.files().forEach(file -> names.add("~/" + file.homeRelativePath()));
        return names.isEmpty() ? "none" : String.join(", ", names) + " (pointing at cred-proxy)";
    }

    private static String describeEnv(Map<String, EnvValue> env) {
        if (env.isEmpty()) {
            return "none";
        }
        return env.entrySet().stream()
                .map(entry -> entry.getKey() + " (" + entry.getValue().describeSource() + ")")
                .collect(Collectors.joining(", "));
    }

    private static void addGit(List<String> lines, List<GitRemote> remotes) {
        if (remotes.isEmpty()) {
            lines.add(row("git", "none"));
            return;
        }
        for (GitRemote remote : remotes) {
            String pins = remote.extraHosts().isEmpty() ? "" : ", pins " + String.join(", ", remote.extraHosts().keySet());
            lines.add(row("git", remote.name() + " -> " + remote.upstream() + " (key " + remote.identityFile() + pins
                    + ")"));
        }
    }

    private static void addRoutes(List<String> lines, List<Route> routes) {
        if (routes.isEmpty()) {
            lines.add(row("routes", "none"));
            return;
        }
        for (Route route : routes) {
            String roles = route.roles().isEmpty() ? ""
                    : ", role " + route.roles().stream().map(RouteRole::manifestName).sorted()
                            .collect(Collectors.joining(", "));
            lines.add(row("routes", route.path() + " -> " + route.upstream() + " (token from " + route.tokenRef()
                    + roles + ")"));
        }
    }

    private static String row(String label, String value) {
        return INDENT + label + " ".repeat(Math.max(1, LABEL_WIDTH - label.length())) + value;
    }
}
