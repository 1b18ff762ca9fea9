package dev.claudebottle.launcher.manifest;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.manifest.internal.BottleLayer;
import dev.claudebottle.launcher.manifest.internal.BottleResolver;
import dev.claudebottle.launcher.manifest.internal.ManifestFileReader;
import dev.claudebottle.launcher.manifest.internal.ManifestNames;
import dev.claudebottle.launcher.manifest.internal.Problems;
import dev.claudebottle.launcher.manifest.internal.Suggestions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every bottle and agent manifest visible from here, loaded once. Files that fail to parse
 * stay listed with their problems, so that {@code list} still shows them and {@code validate}
 * reports every problem of every file.
 */
public final class ManifestCatalog {

    private static final String SUFFIX = ".md";

    /** One agent file as loaded: the agent when it parsed, and the file's own problems. */
    public record AgentSource(String name, Path file, boolean fromRepository, Optional<Agent> agent,
            List<ManifestProblem> problems) {
    }

    private final ManifestLocations locations;
    private final HostEnvironment host;
    private final Map<String, BottleResolver.Source> bottles = new TreeMap<>();
    private final Map<String, AgentSource> agents = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    /** Files skipped for their names, which {@link #validateAll} reports as problems. */
    private final List<ManifestProblem> badNames = new ArrayList<>();
    private final BottleResolver resolver;

    private ManifestCatalog(ManifestLocations locations, HostEnvironment host) {
        this.locations = locations;
        this.host = host;
        loadBottles();
        loadAgents(locations.agentsFolder(), false);
        locations.repositoryAgentsFolder().ifPresent(folder -> loadAgents(folder, true));
        locations.repositoryBottlesFolder().filter(Files::isDirectory).ifPresent(folder -> warnings.add(
                "ignoring " + folder + ": bottles come only from " + locations.bottlesFolder()
                        + ", because a bottle grants secrets and hosts; move a bottle there if you trust it"));
        this.resolver = new BottleResolver(bottles, locations.bottlesFolder());
    }

    /** Reads every manifest under {@code locations}, checking it against {@code host}. */
    public static ManifestCatalog load(ManifestLocations locations, HostEnvironment host) {
        return new ManifestCatalog(locations, host);
    }

    public ManifestLocations locations() {
        return locations;
    }

    public HostEnvironment host() {
        return host;
    }

    /** Returns the warnings about skipped files and folders, each one line. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Returns the agents by name, including those whose files have problems. */
    public Map<String, AgentSource> agents() {
        return Collections.unmodifiableMap(agents);
    }

    /** Returns the bottle names, including those whose files have problems. */
    public Set<String> bottleNames() {
        return Collections.unmodifiableSet(bottles.keySet());
    }

    /** Returns the file of bottle {@code name}, if it exists. */
    public Optional<Path> bottleFile(String name) {
        return Optional.ofNullable(bottles.get(name)).map(BottleResolver.Source::file);
    }

    /**
     * Resolves agent {@code name} with its merged bottle.
     *
     * @throws LauncherException when no such agent exists
     * @throws ManifestException listing every problem in the agent's and its bottles' files
     */
    public ResolvedAgent resolve(String name) {
        AgentSource source = agents.get(name);
        if (source == null) {
            throw unknownAgent(name);
        }
        Set<ManifestProblem> problems = new LinkedHashSet<>(source.problems());
        Optional<Bottle> bottle = source.agent().flatMap(agent -> resolveBottleOf(agent, problems));
        if (!problems.isEmpty() || bottle.isEmpty()) {
            throw new ManifestException("agent " + name + " cannot be used", List.copyOf(problems));
        }
        return new ResolvedAgent(source.agent().get(), bottle.get());
    }

    /**
     * Checks every file, every agent with its bottle, and every bottle with its parents. Returns
     * all problems, each once, ordered by file and position.
     */
    public List<ManifestProblem> validateAll() {
        Set<ManifestProblem> problems = new LinkedHashSet<>(badNames);
        for (String bottle : bottles.keySet()) {
            resolver.resolve(bottle, problems);
        }
        for (AgentSource source : agents.values()) {
            problems.addAll(source.problems());
            source.agent().ifPresent(agent -> resolveBottleOf(agent, problems));
        }
        return problems.stream().sorted(ManifestProblem.BY_POSITION).toList();
    }

    private Optional<Bottle> resolveBottleOf(Agent agent, Set<ManifestProblem> problems) {
        if (!bottles.containsKey(agent.bottle())) {
            String hint = locations.repositoryBottlesFolder()
                    .filter(folder -> Files.isRegularFile(folder.resolve(agent.bottle() + SUFFIX)))
                    .map(folder -> "; the repository's " + folder + " is never read, move the bottle to "
                            + locations.bottlesFolder())
                    .orElse("");
            problems.add(ManifestProblem.ofFile(agent.file(), "bottle " + agent.bottle() + " does not exist in "
                    + locations.bottlesFolder() + Suggestions.hint(agent.bottle(), bottles.keySet()) + hint,
                    "create " + locations.bottlesFolder().resolve(agent.bottle() + SUFFIX) + " or correct `bottle:`"));
            return Optional.empty();
        }
        return resolver.resolve(agent.bottle(), problems);
    }

    private LauncherException unknownAgent(String name) {
        if (!ManifestNames.isValid(name)) {
            return new LauncherException("invalid agent name '" + name + "'", "an agent name is " + ManifestNames.rule()
                    + ", the manifest's file name without .md", "pass the name as `claude-bottle list` shows it");
        }
        String where = locations.agentsFolder()
                + locations.repositoryAgentsFolder().map(folder -> " or " + folder).orElse("");
        String why = "there is no " + name + SUFFIX + " in " + where + Suggestions.hint(name, agents.keySet());
        String fix = agents.isEmpty()
                ? "run `claude-bottle init` to create an example agent"
                : "run `claude-bottle list` to see the agents";
        return new LauncherException("agent " + name + " not found", why, fix);
    }

    private void loadBottles() {
        for (Path file : manifestFiles(locations.bottlesFolder())) {
            String name = nameOf(file);
            Problems problems = new Problems(file);
            Optional<BottleLayer> layer = ManifestFileReader.readBottle(name, file, host, problems);
            bottles.put(name, new BottleResolver.Source(name, file, layer, problems.list()));
        }
    }

    private void loadAgents(Path folder, boolean fromRepository) {
        for (Path file : manifestFiles(folder)) {
            String name = nameOf(file);
            Problems problems = new Problems(file);
            Optional<Agent> agent = ManifestFileReader.readAgent(name, file, fromRepository, problems);
            AgentSource previous = agents.put(name,
                    new AgentSource(name, file, fromRepository, agent, problems.list()));
            if (previous != null) {
                warnings.add("agent " + name + " from " + file + " replaces the one in " + previous.file()
                        + "; rename one of them to use both");
            }
        }
    }

    /** Lists the folder's {@code *.md} files with valid names, warning about the others. */
    private List<Path> manifestFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path file : entries.sorted().toList()) {
                String fileName = file.getFileName().toString();
                if (!fileName.endsWith(SUFFIX) || !Files.isRegularFile(file)) {
                    continue;
                }
                if (!ManifestNames.isValid(nameOf(file))) {
                    warnings.add("skipping " + file + ": a manifest's name must be " + ManifestNames.rule());
                    if (nameOf(file).equalsIgnoreCase("readme")) {
                        // A folder's notes, not a manifest with a wrong name.
                        continue;
                    }
                    badNames.add(ManifestProblem.ofFile(file, "the file name is not a manifest name, so the file "
                            + "is skipped; a name is " + ManifestNames.rule(), "rename it to "
                            + ManifestNames.suggest(nameOf(file)) + SUFFIX));
                    continue;
                }
                files.add(file);
            }
        } catch (IOException e) {
            warnings.add("skipping " + folder + ": it cannot be listed (" + e.getMessage() + ")");
        }
        return files;
    }

    private static String nameOf(Path file) {
        String fileName = file.getFileName().toString();
        return fileName.substring(0, fileName.length() - SUFFIX.length());
    }
}
