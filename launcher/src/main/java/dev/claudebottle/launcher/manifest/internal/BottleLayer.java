package dev.claudebottle.launcher.manifest.internal;

import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.launcher.manifest.DlpAction;
import dev.claudebottle.launcher.manifest.EnvValue;
import dev.claudebottle.launcher.manifest.GitRemote;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The declarations of one bottle file, before its {@code extends} parents are merged in. Unset
 * switches are {@code null} so that a parent's value shows through.
 */
public record BottleLayer(String name, Path file, String description, Map<String, EnvValue> env,
        List<Positioned<GitRemote>> git, List<Positioned<Route>> routes, Position routesPosition,
        List<String> allowlist, DlpAction dlpAction, Boolean supervise, List<Positioned<String>> parents,
        List<String> privateHosts, List<Path> upstreamCa) {

    /** A value with the position of its manifest entry. */
    public record Positioned<T>(T value, Position position) {
    }
}
