package dev.claudebottle.launcher.session;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.docker.BottleLabels;
import dev.claudebottle.launcher.docker.BottleObjects;
import dev.claudebottle.launcher.docker.ContainerLogs;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.plan.BottlePlan;
import dev.claudebottle.launcher.plan.Identity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The commands that act on bottles after their start: {@code list --active}, {@code stop},
 * {@code logs} and {@code cleanup}. They find bottles by label, so they work on bottles of any
 * launcher, including one killed with SIGKILL.
 */
public final class Bottles {

    /** The reason {@link #stop} records in the state folder. */
    static final String STOPPED = "stopped with `claude-bottle stop`";

    /** Bundle services whose log lines {@code logs --service} selects. */
    public static final List<String> SERVICES = List.of("egress", "cred-proxy", "git-gate", "supervise", "dns", "bundle");

    private final DockerEngine engine;
    private final Path stateRoot;

    /** @param stateRoot the folder holding one state folder per bottle identity */
    public Bottles(DockerEngine engine, Path stateRoot) {
        this.engine = engine;
        this.stateRoot = stateRoot;
    }

    /** One row of {@code list --active}. */
    public record Active(String identity, String agent, Optional<Duration> age, String state, boolean orphaned) {
    }

    /** Lists the bottles the engine knows, oldest first. */
    public List<Active> active() {
        List<Active> rows = new ArrayList<>();
        Instant now = Instant.now();
        for (BottleObjects.Found found : new BottleObjects(engine.client()).list()) {
            rows.add(new Active(found.identity(), found.agent(), found.started().map(s -> Duration.between(s, now)),
                    found.state(), !found.launcherAlive()));
        }
        return rows;
    }

    /**
     * Stops a bottle: removes its containers and networks. Its launcher, if alive, sees the
     * command end and finishes its own teardown; otherwise the state folder stays for resume.
     */
    public void stop(String identity) {
        requireWellFormed(identity);
        BottleObjects objects = new BottleObjects(engine.client());
        BottleObjects.Found found = objects.find(identity).orElseThrow(() -> new LauncherException(
                "cannot stop bottle " + identity, "the Docker engine has no container or network of it",
                "see the running bottles with `claude-bottle list --active`"));
        StateDirectory state = new StateDirectory(stateRoot.resolve(identity));
        if (Files.isDirectory(state.folder())) {
            // Written first, so that the launcher attached to the bottle reports a stop, not a failure.
            state.markPreserved(STOPPED);
        }
        found.container(BottleLabels.ROLE_BUNDLE).ifPresent(bundle -> objects.stopAndRemoveContainer(bundle.getId(),
                BottleSession.BUNDLE_STOP_SECONDS));
        objects.removeAll(objects.find(identity).orElse(found));
    }

    /** Passes the bundle's log lines to {@code sink}, only those of {@code service} when given. */
    public void logs(String identity, Optional<String> service, boolean follow, Consumer<String> sink)
            throws InterruptedException {
        requireWellFormed(identity);
        if (service.isPresent() && !SERVICES.contains(service.get())) {
            throw new LauncherException("unknown service '" + service.get() + "'",
                    "the bundle runs " + String.join(", ", SERVICES), "pass one of them to --service");
        }
        BottleObjects.Found found = new BottleObjects(engine.client()).find(identity).orElseThrow(
                () -> new LauncherException("cannot show the logs of bottle " + identity,
                        "the Docker engine has no container of it",
                        "see the running bottles with `claude-bottle list --active`"));
        var bundle = found.container(BottleLabels.ROLE_BUNDLE).orElseThrow(() -> new LauncherException(
                "cannot show the logs of bottle " + identity, "it has no bundle container",
                "remove the leftovers with `claude-bottle cleanup`"));
        String marker = service.map(name -> "\"service\":\"" + name + "\"").orElse(null);
        new ContainerLogs(engine.client()).stream(bundle.getId(), follow ? 100 : 10_000, follow,
                line -> {
                    if (marker == null || line.contains(marker)) {
                        sink.accept(line);
                    }
                });
    }

    /**
     * What {@code cleanup} would remove: bottles whose launcher no longer runs, and state
     * folders with no bottle and no preserve marker.
     */
    public record Leftovers(List<BottleObjects.Found> bottles, List<Path> stateFolders) {

        public boolean isEmpty() {
            return bottles.isEmpty() && stateFolders.isEmpty();
        }

        private static String count(int n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }

        /** One line per leftover, for the confirmation question. */
        public List<String> describe() {
            List<String> lines = new ArrayList<>();
            for (BottleObjects.Found bottle : bottles) {
                lines.add("bottle " + bottle.identity() + " (agent " + bottle.agent() + "): "
                        + count(bottle.containers().size(), "container") + ", "
                        + count(bottle.networks().size(), "network"));
            }
            for (Path folder : stateFolders) {
                lines.add("state folder " + folder);
            }
            return lines;
        }
    }

    public Leftovers leftovers() {
        List<BottleObjects.Found> all = new BottleObjects(engine.client()).list();
        List<BottleObjects.Found> orphaned = all.stream().filter(found -> !found.launcherAlive()).toList();
        Set<String> live = all.stream().filter(BottleObjects.Found::launcherAlive).map(BottleObjects.Found::identity)
                .collect(Collectors.toSet());
        List<Path> folders = new ArrayList<>();
        if (Files.isDirectory(stateRoot)) {
            try (var list = Files.list(stateRoot)) {
                for (Path folder : list.sorted().toList()) {
                    String name = folder.getFileName().toString();
                    if (Files.isDirectory(folder) && Identity.isWellFormed(name) && !live.contains(name)
                            && !new StateDirectory(folder).preserved()) {
                        folders.add(folder);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + stateRoot, e);
            }
        }
        return new Leftovers(orphaned, folders);
    }

    /** Removes the leftovers; objects already gone are skipped. */
    public void remove(Leftovers leftovers) {
        BottleObjects objects = new BottleObjects(engine.client());
        for (BottleObjects.Found bottle : leftovers.bottles()) {
            objects.removeAll(bottle);
        }
        for (Path folder : leftovers.stateFolders()) {
            new StateDirectory(folder).delete();
            objects.removeImage(BottlePlan.Images.bottleAgent(folder.getFileName().toString()));
        }
    }

    private static void requireWellFormed(String identity) {
        if (!Identity.isWellFormed(identity)) {
            throw new LauncherException("invalid bottle identity '" + identity + "'",
                    "an identity is <agent>-<5 lower-case letters or digits>, such as reviewer-k3x9a",
                    "copy it from `claude-bottle list --active`");
        }
    }
}
