package dev.claudebottle.launcher.plan;

import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.launcher.manifest.Agent;
import dev.claudebottle.launcher.manifest.ManifestException;
import dev.claudebottle.launcher.manifest.ManifestProblem;
import dev.claudebottle.launcher.manifest.ResolvedAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** Turns a resolved agent into a {@link BottlePlan}, reading the host but changing nothing. */
public final class Planner {

    /** Hosts every bottle reaches: Claude Code's API, login, telemetry and update downloads. */
    public static final List<String> DEFAULT_ALLOWLIST = List.of("api.anthropic.com", "statsig.anthropic.com",
            "sentry.io", "claude.ai", "platform.claude.com", "downloads.claude.ai", "raw.githubusercontent.com");

    private final RuntimeProbe runtimeProbe;
    private final Path skillsFolder;
    private final Path stateRoot;
    private final UnaryOperator<String> identities;

    /**
     * @param skillsFolder the host's {@code ~/.claude/skills}
     * @param stateRoot the folder that contains one state folder per bottle identity
     * @param identities mints an identity for an agent name; {@link Identity#mint(String)} in production
     */
    public Planner(RuntimeProbe runtimeProbe, Path skillsFolder, Path stateRoot, UnaryOperator<String> identities) {
        this.runtimeProbe = runtimeProbe;
        this.skillsFolder = skillsFolder;
        this.stateRoot = stateRoot;
        this.identities = identities;
    }

    /**
     * Plans a launch of {@code resolved}.
     *
     * @throws ManifestException when a skill the agent names is missing on this host
     */
    public BottlePlan plan(ResolvedAgent resolved) {
        List<ManifestProblem> problems = skillProblems(resolved);
        if (!problems.isEmpty()) {
            throw new ManifestException("agent " + resolved.agent().name() + " cannot be used", problems);
        }
        List<BottlePlan.Skill> skills = resolved.agent().skills().stream()
                .map(name -> new BottlePlan.Skill(name, skillsFolder.resolve(name)))
                .toList();
        String identity = identities.apply(resolved.agent().name());
        return new BottlePlan(identity, resolved, effectiveAllowlist(resolved), skills, runtimeProbe.choose(),
                BottlePlan.Images.DEFAULT, stateRoot.resolve(identity));
    }

    /** Reports each skill of the agent that has no folder under the skills folder. */
    public List<ManifestProblem> skillProblems(ResolvedAgent resolved) {
        return skillProblems(resolved.agent());
    }

    /**
     * Reports each skill of {@code agent} that has no folder under the skills folder, at the
     * line of the manifest that names it when that line can be found.
     */
    public List<ManifestProblem> skillProblems(Agent agent) {
        List<ManifestProblem> problems = new ArrayList<>();
        List<String> lines = readLines(agent.file());
        for (String skill : agent.skills()) {
            Path folder = skillsFolder.resolve(skill);
            if (!Files.isDirectory(folder)) {
                String reason = "skill " + skill + " is not installed: " + folder + " does not exist";
                String fix = "install the skill there, or remove it from `skills:`";
                int line = lineNaming(lines, skill);
                problems.add(line > 0
                        ? new ManifestProblem(agent.file(), line, lines.get(line - 1).indexOf(skill) + 1, reason, fix)
                        : ManifestProblem.ofFile(agent.file(), reason, fix));
            }
        }
        return problems;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Returns the 1-based number of the first list line that names {@code skill}, or 0. */
    private static int lineNaming(List<String> lines, String skill) {
        Pattern item = Pattern.compile(
                "^\\s*-\\s*[\"']?" + Pattern.quote(skill) + "[\"']?\\s*(#.*)?$");
        for (int i = 0; i < lines.size(); i++) {
            if (item.matcher(lines.get(i)).matches() || lines.get(i).matches(".*skills:\\s*\\[.*\\b"
                    + Pattern.quote(skill) + "\\b.*")) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Lists the built-in hosts, then the bottle's allowlist, then each route's upstream, each once. */
    public static List<String> effectiveAllowlist(ResolvedAgent resolved) {
        Set<String> hosts = new LinkedHashSet<>(DEFAULT_ALLOWLIST);
        hosts.addAll(resolved.bottle().allowlist());
        for (Route route : resolved.bottle().routes()) {
            hosts.add(route.upstreamPort() == 443 ? route.upstreamHost() : route.upstreamAuthority());
        }
        return List.copyOf(hosts);
    }
}
