package dev.claudebottle.launcher.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.queue.QueuedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Applies an approved proposal to one bottle: the overlay that {@code resume} merges, and where the
 * change can take effect at once, the running bundle's config followed by a reload.
 *
 * <ul>
 *   <li>{@code egress-allow}: the host joins the overlay's allowlist and, while the bottle runs, the
 *       live allowlist.</li>
 *   <li>{@code credential-route}: the route joins the overlay. It goes live in a running bundle that
 *       already has a token of that name, or when the operator's environment contains the token. Then
 *       the token is added to the bundle's secrets ({@code receive-secrets --add}) before the
 *       reload.</li>
 *   <li>{@code capability}: the bottle's {@code agent.Dockerfile} is written for {@code resume}.</li>
 * </ul>
 *
 * <p>Either every step succeeds, or the files are put back as they were and a
 * {@link DashboardException} states why, and the caller leaves the request pending.
 */
final class ApprovalApplier {

    /**
     * The changes an apply made.
     *
     * @param before the overlay (and Dockerfile) before, for the audit log
     * @param after the same after the change
     * @param messages lines for the operator, such as which environment variable must hold a token
     */
    record Applied(ObjectNode before, ObjectNode after, List<String> messages) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Proposal field the operator sets to let an approved host resolve to private addresses. */
    static final String ALLOW_PRIVATE = "allow_private";

    private final BottleControl control;
    private final Map<String, String> hostEnvironment;

    /** @param hostEnvironment the operator's environment, to say whether a route's token variable is set */
    ApprovalApplier(BottleControl control, Map<String, String> hostEnvironment) {
        this.control = control;
        this.hostEnvironment = Map.copyOf(hostEnvironment);
    }

    /**
     * Applies {@code proposal}, the effective proposal of {@code request} in {@code bottle}.
     *
     * @throws DashboardException when a step fails; nothing stays changed then
     */
    Applied apply(BottleState bottle, QueuedRequest request, ObjectNode proposal) {
        Overlay before = Overlay.read(bottle);
        if (before.applied(request.id())) {
            return new Applied(describe(before, null), describe(before, null),
                    List.of("request " + request.id() + " was applied to bottle " + bottle.identity() + " before"));
        }
        String kind = proposal.path("kind").asText();
        return switch (kind) {
            case "egress-allow" -> allowEgress(bottle, request, proposal, before);
            case "credential-route" -> addRoute(bottle, request, proposal, before);
            case "capability" -> addCapability(bottle, request, proposal, before);
            default -> throw new DashboardException("cannot apply request " + request.id(),
                    "its proposal kind '" + kind + "' is unknown to this launcher",
                    "update the launcher, or reject the request");
        };
    }

    /** Returns whether an allowlist entry without ports covers {@code port} for {@code scheme}. */
    static boolean defaultPort(String scheme, int port) {
        return "http".equals(scheme) ? port == 80 : port == 443;
    }

    private Applied allowEgress(BottleState bottle, QueuedRequest request, ObjectNode proposal, Overlay before) {
        String host = proposal.path("host").asText();
        int port = proposal.path("port").asInt(443);
        String scheme = proposal.path("scheme").asText("https");
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new DashboardException("cannot apply request " + request.id(), "its proposal has no valid host "
                    + "and port", "modify the request's failed_url, or reject it");
        }
        String entry = defaultPort(scheme, port) ? host : host + ":" + port;
        boolean allowPrivate = proposal.path(ALLOW_PRIVATE).asBoolean(false);
        Overlay after = before.withAllowed(entry, request.id(), allowPrivate ? host : null);

        List<String> messages = new ArrayList<>();
        after.write(bottle);
        try {
            boolean live = applyLive(bottle, config -> config.allow(host, port, scheme, allowPrivate));
            messages.add(live
                    ? entry + " is allowed in bottle " + bottle.identity() + (allowPrivate ? ", private addresses included," : "")
                            + " now, and after resume"
                    : entry + " joins the allowlist of bottle " + bottle.identity() + " when it is resumed"
                            + " (it is not running)");
        } catch (DashboardException e) {
            restoreOverlay(bottle, before);
            throw e;
        }
        return new Applied(describe(before, null), describe(after, null), messages);
    }

    private Applied addRoute(BottleState bottle, QueuedRequest request, ObjectNode proposal, Overlay before) {
        Map<String, Object> route = routeOf(proposal);
        String tokenRef = String.valueOf(route.get("token_ref"));
        Overlay after = before.withRoute(route, request.id());
        try {
            after.parsedRoutes();
        } catch (IllegalArgumentException e) {
            throw new DashboardException("cannot apply request " + request.id(), e.getMessage(),
                    "modify the request so that the route is valid and its path is free, or reject it", e);
        }

        List<String> messages = new ArrayList<>();
        after.write(bottle);
        try {
            String upstreamHost = proposal.path("upstream_host").asText();
            int upstreamPort = proposal.path("upstream_port").asInt(443);
            boolean bundleHasToken = tokenHeldByBundle(bottle, tokenRef);
            String hostValue = hostEnvironment.get(tokenRef);
            boolean handOver = !bundleHasToken && hostValue != null && !hostValue.isEmpty();
            Runnable beforeReload = handOver ? () -> handOverToken(bottle, tokenRef, hostValue) : () -> { };
            boolean live = (bundleHasToken || handOver) && applyLive(bottle, config -> {
                config.addRoute(route);
                config.allow(upstreamHost, upstreamPort, "https", false);
            }, beforeReload);
            if (!live) {
                messages.add("route " + route.get("path") + " takes effect when bottle " + bottle.identity()
                        + " is resumed: `claude-bottle resume " + bottle.identity() + "`");
            } else if (handOver) {
                messages.add("route " + route.get("path") + " is live in bottle " + bottle.identity()
                        + ": its bundle now holds the token from the host environment variable " + tokenRef
                        + " and sends it only to " + route.get("upstream"));
            } else {
                messages.add("route " + route.get("path") + " is live in bottle " + bottle.identity()
                        + ", with the token its bundle already has as " + tokenRef);
            }
        } catch (DashboardException e) {
            restoreOverlay(bottle, before);
            throw e;
        }
        messages.add("the host environment variable " + tokenRef + " must hold the token for this route ("
                + (hostEnvironment.containsKey(tokenRef) ? "it is set in this shell" : "it is not set in this shell")
                + ")");
        return new Applied(describe(before, null), describe(after, null), messages);
    }

    /** Returns the route keys of a {@code credential-route} proposal, in manifest spelling. */
    private static Map<String, Object> routeOf(ObjectNode proposal) {
        Map<String, Object> route = new LinkedHashMap<>();
        for (String key : List.of("path", "upstream", "auth_scheme", "token_ref", "role")) {
            JsonNode value = proposal.get(key);
            if (value != null && value.isTextual()) {
                route.put(key, value.asText());
            }
        }
        return route;
    }

    /** Adds one token to the running bundle's secrets; the document exists only for the call. */
    private void handOverToken(BottleState bottle, String tokenRef, String value) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("tokens").put(tokenRef, value);
        byte[] document;
        try {
            document = JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
        try {
            control.addSecrets(bottle.identity(), document);
        } finally {
            Arrays.fill(document, (byte) 0);
        }
    }

    /**
     * Returns whether the running bundle has a token named {@code tokenRef}, because one of its routes named
     * it when it started, and the launcher hands over the token of every route at start.
     */
    private boolean tokenHeldByBundle(BottleState bottle, String tokenRef) {
        return Files.isRegularFile(bottle.bundleConfig())
                && LiveBundleConfig.read(bottle.bundleConfig()).tokenRefs().contains(tokenRef);
    }

    private Applied addCapability(BottleState bottle, QueuedRequest request, ObjectNode proposal, Overlay before) {
        Path file = bottle.agentDockerfile();
        String current = Files.isRegularFile(file) ? readText(file) : null;
        String text = AgentDockerfile.apply(proposal, current);
        Overlay after = before.withAgentDockerfile(request.id());

        writeAtomically(bottle, file, text);
        try {
            after.write(bottle);
        } catch (DashboardException e) {
            restoreDockerfile(bottle, file, current);
            throw e;
        }
        return new Applied(describe(before, current), describe(after, text), List.of(
                "wrote " + file + "; `claude-bottle resume " + bottle.identity()
                        + "` builds the agent image from it"));
    }

    /**
     * Changes the running bundle's config and reloads the bundle, when the bottle runs.
     *
     * @return whether the change is live; false when the bottle does not run
     * @throws DashboardException when the change or the reload fails; the config file is put back
     */
    private boolean applyLive(BottleState bottle, Consumer<LiveBundleConfig> change) {
        return applyLive(bottle, change, () -> { });
    }

    /**
     * As {@link #applyLive(BottleState, Consumer)}, running {@code beforeChange} first (such as
     * handing a token to the bundle); when it fails, nothing is changed.
     */
    private boolean applyLive(BottleState bottle, Consumer<LiveBundleConfig> change, Runnable beforeChange) {
        Path file = bottle.bundleConfig();
        if (!Files.isRegularFile(file) || !control.bundleRunning(bottle.identity())) {
            return false;
        }
        beforeChange.run();
        byte[] previous = LiveBundleConfig.snapshot(file);
        LiveBundleConfig config = LiveBundleConfig.read(file);
        change.accept(config);
        config.write();
        try {
            control.reloadBundle(bottle.identity());
        } catch (DashboardException e) {
            LiveBundleConfig.restore(file, previous);
            throw e;
        }
        return true;
    }

    private static void restoreOverlay(BottleState bottle, Overlay before) {
        if (before.requests().isEmpty() && before.allowlist().isEmpty() && before.routes().isEmpty()
                && !before.agentDockerfile()) {
            deleteQuietly(bottle.overlayFile());
        } else {
            before.write(bottle);
        }
    }

    private static void restoreDockerfile(BottleState bottle, Path file, String previous) {
        if (previous == null) {
            deleteQuietly(file);
        } else {
            writeAtomically(bottle, file, previous);
        }
    }

    private static ObjectNode describe(Overlay overlay, String dockerfile) {
        ObjectNode node = JSON.createObjectNode();
        node.set("overlay", overlay.toJson());
        if (dockerfile != null) {
            node.put("agent_dockerfile", dockerfile);
        }
        return node;
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DashboardException("cannot read " + file, String.valueOf(e.getMessage()),
                    "check the permissions of the bottle's state folder", e);
        }
    }

    private static void writeAtomically(BottleState bottle, Path file, String text) {
        Path temp = null;
        try {
            temp = Files.createTempFile(bottle.folder(), "." + file.getFileName(), ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException e) {
            throw new DashboardException("cannot write " + file, String.valueOf(e.getMessage()),
                    "check free space and the permissions of " + bottle.folder(), e);
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Only a leftover file remains, which the next write replaces.
        }
    }
}
