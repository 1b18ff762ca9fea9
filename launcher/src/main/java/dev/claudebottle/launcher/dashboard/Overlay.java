package dev.claudebottle.launcher.dashboard;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.credproxy.CredProxyException;
import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.credproxy.route.RouteTable;
import dev.claudebottle.launcher.manifest.Bottle;
import dev.claudebottle.launcher.manifest.ResolvedAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The access approved for one bottle identity from the dashboard, kept in {@code overlay.json} in the
 * bottle's state folder so that {@code resume} starts the bottle with its manifest plus these grants.
 *
 * <pre>{@code
 * {"format": 1,
 *  "allowlist": ["api.example.com", "registry.example.com:8443"],
 *  "routes": [{"path": "/gh-api/", "upstream": "https://api.github.com",
 *              "auth_scheme": "Bearer", "token_ref": "GH_PAT"}],
 *  "agent_dockerfile": "agent.Dockerfile",
 *  "requests": ["20261204T203501Z-3f9a2c1b"]}
 * }</pre>
 *
 * <p>Allowlist entries use the manifest's spelling ({@code host} or {@code host:port}); routes use the
 * manifest's route keys. {@code requests} lists the ids of the applied requests, so that applying one
 * twice changes nothing.
 *
 * @param allowlist extra egress allowlist entries
 * @param routes extra cred-proxy routes, each a map of manifest route keys
 * @param agentDockerfile whether {@code agent.Dockerfile} in the state folder replaces the agent image
 * @param requests ids of the requests applied here, oldest first
 * @param privateHosts hosts of {@code allowlist} the operator let resolve to private addresses
 *     ({@code dashboard approve --allow-private}), like the manifest's {@code egress.allow_private}
 */
public record Overlay(List<String> allowlist, List<Map<String, Object>> routes, boolean agentDockerfile,
        List<String> requests, List<String> privateHosts) {

    /** Version of the file layout; a reader rejects a newer one. */
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Overlay {
        allowlist = List.copyOf(allowlist);
        routes = routes.stream().map(route -> Collections.unmodifiableMap(new LinkedHashMap<>(route))).toList();
        requests = List.copyOf(requests);
        privateHosts = List.copyOf(privateHosts);
    }

    public Overlay(List<String> allowlist, List<Map<String, Object>> routes, boolean agentDockerfile,
            List<String> requests) {
        this(allowlist, routes, agentDockerfile, requests, List.of());
    }

    public static Overlay empty() {
        return new Overlay(List.of(), List.of(), false, List.of());
    }

    /**
     * Reads the overlay of {@code bottle}; a bottle without one has the empty overlay.
     *
     * @throws DashboardException when the file cannot be read or is not a valid overlay
     */
    public static Overlay read(BottleState bottle) {
        Path file = bottle.overlayFile();
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        try {
            return fromJson(JSON.readTree(Files.readAllBytes(file)));
        } catch (IOException | IllegalArgumentException e) {
            throw new DashboardException("cannot read the overlay " + file, String.valueOf(e.getMessage()),
                    "fix the file, or delete it to drop the access approved for bottle " + bottle.identity(), e);
        }
    }

    /**
     * Reads an overlay's JSON tree.
     *
     * @throws IllegalArgumentException naming the invalid field
     */
    public static Overlay fromJson(JsonNode json) {
        if (!json.isObject() || !json.path("format").canConvertToInt() || json.path("format").asInt() < 1
                || json.path("format").asInt() > FORMAT) {
            throw new IllegalArgumentException("an overlay is a JSON object with \"format\": " + FORMAT);
        }
        List<String> allowlist = JSON.convertValue(json.path("allowlist").isMissingNode()
                ? JSON.createArrayNode() : json.get("allowlist"), new TypeReference<List<String>>() { });
        List<Map<String, Object>> routes = JSON.convertValue(json.path("routes").isMissingNode()
                ? JSON.createArrayNode() : json.get("routes"), new TypeReference<List<Map<String, Object>>>() { });
        List<String> requests = JSON.convertValue(json.path("requests").isMissingNode()
                ? JSON.createArrayNode() : json.get("requests"), new TypeReference<List<String>>() { });
        List<String> privateHosts = JSON.convertValue(json.path("allow_private").isMissingNode()
                ? JSON.createArrayNode() : json.get("allow_private"), new TypeReference<List<String>>() { });
        Overlay overlay = new Overlay(allowlist, routes, json.path("agent_dockerfile").isTextual(), requests,
                privateHosts);
        overlay.parsedRoutes();
        return overlay;
    }

    public ObjectNode toJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("format", FORMAT);
        allowlist.forEach(json.putArray("allowlist")::add);
        if (!privateHosts.isEmpty()) {
            privateHosts.forEach(json.putArray("allow_private")::add);
        }
        json.set("routes", JSON.valueToTree(routes));
        if (agentDockerfile) {
            json.put("agent_dockerfile", BottleState.AGENT_DOCKERFILE);
        }
        requests.forEach(json.putArray("requests")::add);
        return json;
    }

    /**
     * Writes the overlay of {@code bottle} to a temporary file and renames it into place, so that
     * {@code resume} never reads half a file.
     */
    public void write(BottleState bottle) {
        Path file = bottle.overlayFile();
        Path temp = null;
        try {
            temp = Files.createTempFile(bottle.folder(), ".overlay", ".tmp");
            Files.writeString(temp, JSON.writeValueAsString(toJson()) + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException e) {
            throw new DashboardException("cannot write the overlay " + file, String.valueOf(e.getMessage()),
                    "check free space and the permissions of " + bottle.folder(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // The rename failed already; a stray hidden temporary file is all that is left.
                }
            }
        }
    }

    /** Returns whether the request with {@code id} was applied to this overlay already. */
    public boolean applied(String requestId) {
        return requests.contains(requestId);
    }

    public Overlay withAllowed(String entry, String requestId) {
        return withAllowed(entry, requestId, null);
    }

    /**
     * Returns this overlay with {@code entry} allowed; {@code privateHost}, when not null, is the
     * entry's host name and may then resolve to private addresses.
     */
    public Overlay withAllowed(String entry, String requestId, String privateHost) {
        LinkedHashSet<String> entries = new LinkedHashSet<>(allowlist);
        entries.add(entry);
        LinkedHashSet<String> privates = new LinkedHashSet<>(privateHosts);
        if (privateHost != null) {
            privates.add(privateHost);
        }
        return new Overlay(List.copyOf(entries), routes, agentDockerfile, plus(requestId), List.copyOf(privates));
    }

    public Overlay withRoute(Map<String, Object> route, String requestId) {
        List<Map<String, Object>> extended = new ArrayList<>(routes);
        extended.add(route);
        return new Overlay(allowlist, extended, agentDockerfile, plus(requestId), privateHosts);
    }

    public Overlay withAgentDockerfile(String requestId) {
        return new Overlay(allowlist, routes, true, plus(requestId), privateHosts);
    }

    private List<String> plus(String requestId) {
        List<String> ids = new ArrayList<>(requests);
        ids.add(requestId);
        return ids;
    }

    /**
     * Returns the overlay's routes, validated one by one as cred-proxy validates a route table.
     *
     * @throws IllegalArgumentException with cred-proxy's message when a route is invalid
     */
    public List<Route> parsedRoutes() {
        try {
            return RouteTable.parse(routes).routes();
        } catch (CredProxyException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Returns {@code bottle} with this overlay's allowlist entries and routes added after its own. The
     * route table is checked as a whole, so an overlay route whose path the manifest now uses fails.
     *
     * @throws DashboardException naming the conflict and the fix
     */
    public Bottle mergeInto(Bottle bottle) {
        LinkedHashSet<String> hosts = new LinkedHashSet<>(bottle.allowlist());
        hosts.addAll(allowlist);
        List<Route> merged = new ArrayList<>(bottle.routes());
        try {
            merged.addAll(parsedRoutes());
            RouteTable.of(merged);
        } catch (IllegalArgumentException | CredProxyException e) {
            throw new DashboardException("cannot merge the approved routes into bottle " + bottle.name(),
                    String.valueOf(e.getMessage()), "remove the conflicting route from " + BottleState.OVERLAY_FILE
                    + " in the bottle's state folder, or from the manifest " + bottle.file(), e);
        }
        LinkedHashSet<String> privates = new LinkedHashSet<>(bottle.privateHosts());
        privates.addAll(privateHosts);
        return new Bottle(bottle.name(), bottle.file(), bottle.chain(), bottle.env(), bottle.git(), merged,
                List.copyOf(hosts), bottle.dlpAction(), bottle.supervise(), bottle.description(), List.copyOf(privates),
                bottle.upstreamCa());
    }

    /** Returns {@code resolved} with this overlay merged into its bottle, as {@code resume} needs it. */
    public ResolvedAgent mergeInto(ResolvedAgent resolved) {
        return new ResolvedAgent(resolved.agent(), mergeInto(resolved.bottle()));
    }

    /** Returns the per-bottle agent Dockerfile that {@code resume} builds, when a capability was approved. */
    public Optional<Path> agentDockerfile(BottleState bottle) {
        return agentDockerfile ? Optional.of(bottle.agentDockerfile()) : Optional.empty();
    }
}
