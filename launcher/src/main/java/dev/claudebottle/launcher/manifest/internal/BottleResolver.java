package dev.claudebottle.launcher.manifest.internal;

import dev.claudebottle.credproxy.CredProxyException;
import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.credproxy.route.RouteTable;
import dev.claudebottle.launcher.manifest.Bottle;
import dev.claudebottle.launcher.manifest.DlpAction;
import dev.claudebottle.launcher.manifest.EnvValue;
import dev.claudebottle.launcher.manifest.GitRemote;
import dev.claudebottle.launcher.manifest.ManifestProblem;
import dev.claudebottle.launcher.manifest.internal.BottleLayer.Positioned;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Merges a bottle with its {@code extends} parents and checks what only the merged bottle
 * shows.
 *
 * <p>Parents are merged left to right, each after its own parents, and the bottle itself
 * last; a bottle reached twice (a diamond) is merged once, at its first place. A later layer
 * adds to and overrides an earlier one: {@code env} by name, {@code git} by {@code Name},
 * routes by {@code path}; the allowlist is the union; {@code dlp_action} and
 * {@code supervise} take the last value set.
 */
public final class BottleResolver {

    /** One bottle file as loaded: its layer when it parsed, and its own problems. */
    public record Source(String name, Path file, Optional<BottleLayer> layer, List<ManifestProblem> problems) {
    }

    private final Map<String, Source> sources;
    private final Path bottlesFolder;

    public BottleResolver(Map<String, Source> sources, Path bottlesFolder) {
        this.sources = Map.copyOf(sources);
        this.bottlesFolder = bottlesFolder;
    }

    /**
     * Resolves the existing bottle {@code name}, adding every problem of it and its parents to
     * {@code problems}. Returns the merged bottle only when there was none.
     */
    public Optional<Bottle> resolve(String name, Set<ManifestProblem> problems) {
        int before = problems.size();
        List<BottleLayer> layers = new ArrayList<>();
        collect(name, new ArrayDeque<>(), layers, new HashSet<>(), problems);
        if (problems.size() != before || layers.isEmpty()) {
            return Optional.empty();
        }
        Bottle merged = merge(layers);
        checkExtraHosts(layers, problems);
        checkMergedRoutes(layers, merged.routes(), problems);
        return problems.size() == before ? Optional.of(merged) : Optional.empty();
    }

    /** Returns the names of all bottles, for "did you mean" hints. */
    public Collection<String> names() {
        return sources.keySet();
    }

    private void collect(String name, Deque<String> stack, List<BottleLayer> out, Set<String> done,
            Set<ManifestProblem> problems) {
        Source source = sources.get(name);
        problems.addAll(source.problems());
        if (source.layer().isEmpty()) {
            return;
        }
        BottleLayer layer = source.layer().get();
        stack.push(name);
        for (Positioned<String> parent : layer.parents()) {
            if (stack.contains(parent.value())) {
                problems.add(problem(layer.file(), parent.position(), "bottle " + name + " extends itself through "
                        + cycle(stack, parent.value()), "remove one of the extends entries that form the loop"));
            } else if (!sources.containsKey(parent.value())) {
                problems.add(problem(layer.file(), parent.position(), "extends bottle " + parent.value()
                                + ", which does not exist in " + bottlesFolder + Suggestions.hint(parent.value(), names()),
                        "create " + bottlesFolder.resolve(parent.value() + ".md") + " or correct the name"));
            } else if (!done.contains(parent.value())) {
                collect(parent.value(), stack, out, done, problems);
            }
        }
        stack.pop();
        if (done.add(name)) {
            out.add(layer);
        }
    }

    private static String cycle(Deque<String> stack, String repeated) {
        List<String> path = new ArrayList<>(stack);
        Collections.reverse(path);
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(repeated), path.size()));
        loop.add(repeated);
        return String.join(" -> ", loop);
    }

    private static Bottle merge(List<BottleLayer> layers) {
        Map<String, EnvValue> env = new LinkedHashMap<>();
        Map<String, GitRemote> git = new LinkedHashMap<>();
        Map<String, Route> routes = new LinkedHashMap<>();
        Set<String> allowlist = new LinkedHashSet<>();
        DlpAction dlpAction = DlpAction.BLOCK;
        boolean supervise = false;
        Set<String> privateHosts = new LinkedHashSet<>();
        Set<Path> upstreamCa = new LinkedHashSet<>();
        for (BottleLayer layer : layers) {
            privateHosts.addAll(layer.privateHosts());
            upstreamCa.addAll(layer.upstreamCa());
            env.putAll(layer.env());
            layer.git().forEach(remote -> git.put(remote.value().name(), remote.value()));
            layer.routes().forEach(route -> routes.put(route.value().path(), route.value()));
            allowlist.addAll(layer.allowlist());
            dlpAction = layer.dlpAction() == null ? dlpAction : layer.dlpAction();
            supervise = layer.supervise() == null ? supervise : layer.supervise();
        }
        BottleLayer self = layers.get(layers.size() - 1);
        List<String> chain = layers.stream().map(BottleLayer::name).toList();
        return new Bottle(self.name(), self.file(), chain, env, List.copyOf(git.values()), List.copyOf(routes.values()),
                List.copyOf(allowlist), dlpAction, supervise, self.description(), List.copyOf(privateHosts),
                List.copyOf(upstreamCa));
    }

    /**
     * Checks that no host name is pinned to two addresses: all {@code ExtraHosts} of a bottle end
     * up in one hosts table inside the bundle.
     */
    private static void checkExtraHosts(List<BottleLayer> layers, Set<ManifestProblem> problems) {
        Map<String, String> addresses = new LinkedHashMap<>();
        Map<String, String> owners = new LinkedHashMap<>();
        for (BottleLayer layer : layers) {
            for (Positioned<GitRemote> remote : layer.git()) {
                for (Map.Entry<String, String> pin : remote.value().extraHosts().entrySet()) {
                    String owner = "git entry " + remote.value().name() + " of bottle " + layer.name();
                    String earlier = addresses.putIfAbsent(pin.getKey(), pin.getValue());
                    if (earlier != null && !earlier.equals(pin.getValue())) {
                        problems.add(problem(layer.file(), remote.position(), "ExtraHosts maps " + pin.getKey() + " to "
                                        + pin.getValue() + ", but " + owners.get(pin.getKey()) + " maps it to " + earlier,
                                "use one address for " + pin.getKey() + " in every git entry"));
                    }
                    owners.putIfAbsent(pin.getKey(), owner);
                }
            }
        }
    }

    /** Re-runs cred-proxy's table checks on the merged routes, which parents may have changed. */
    private static void checkMergedRoutes(List<BottleLayer> layers, List<Route> routes, Set<ManifestProblem> problems) {
        if (layers.size() < 2) {
            return;
        }
        try {
            RouteTable.of(routes);
        } catch (CredProxyException e) {
            BottleLayer self = layers.get(layers.size() - 1);
            problems.add(problem(self.file(), self.routesPosition(), "after merging the extends parents: "
                    + String.valueOf(e.getMessage()).replaceAll("\\s*\\n\\s*", "; "), "change the routes of one bottle"));
        }
    }

    private static ManifestProblem problem(Path file, Position at, String reason, String fix) {
        return new ManifestProblem(file, at.line(), at.column(), reason, fix);
    }
}
