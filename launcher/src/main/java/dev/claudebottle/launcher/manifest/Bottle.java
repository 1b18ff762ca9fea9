package dev.claudebottle.launcher.manifest;

import dev.claudebottle.credproxy.route.Route;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bottle with its {@code extends} parents merged in: everything the agent is granted.
 *
 * @param name the file name without {@code .md}
 * @param file the bottle's own manifest file
 * @param chain the bottles merged, parents first and this bottle last
 * @param env environment variables for the agent, in manifest order
 * @param git repositories the git gate mirrors
 * @param routes cred-proxy routes
 * @param allowlist the manifest's egress hosts, without the built-in defaults
 * @param dlpAction what egress-proxy does with a DLP finding
 * @param supervise whether the supervise MCP server is offered to the agent
 * @param description the body of the bottle's file
 * @param privateHosts allowlisted hosts that may resolve to private addresses ({@code egress.allow_private})
 * @param upstreamCa extra CA certificate files (PEM, on the host) that egress-proxy trusts for
 *     upstream TLS ({@code egress.upstream_ca})
 */
public record Bottle(String name, Path file, List<String> chain, Map<String, EnvValue> env, List<GitRemote> git,
        List<Route> routes, List<String> allowlist, DlpAction dlpAction, boolean supervise, String description,
        List<String> privateHosts, List<Path> upstreamCa) {

    public Bottle {
        chain = List.copyOf(chain);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        git = List.copyOf(git);
        routes = List.copyOf(routes);
        allowlist = List.copyOf(allowlist);
        privateHosts = List.copyOf(privateHosts);
        upstreamCa = List.copyOf(upstreamCa);
    }

    /** A bottle that reaches only public addresses and trusts only the bundle's system CAs upstream. */
    public Bottle(String name, Path file, List<String> chain, Map<String, EnvValue> env, List<GitRemote> git,
            List<Route> routes, List<String> allowlist, DlpAction dlpAction, boolean supervise, String description) {
        this(name, file, chain, env, git, routes, allowlist, dlpAction, supervise, description, List.of(), List.of());
    }
}
