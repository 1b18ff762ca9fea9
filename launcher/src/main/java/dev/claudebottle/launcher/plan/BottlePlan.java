package dev.claudebottle.launcher.plan;

import dev.claudebottle.credproxy.roles.AgentRoles;
import dev.claudebottle.credproxy.roles.AgentSetup;
import dev.claudebottle.credproxy.route.RouteTable;
import dev.claudebottle.launcher.manifest.Agent;
import dev.claudebottle.launcher.manifest.Bottle;
import dev.claudebottle.launcher.manifest.GitRemote;
import dev.claudebottle.launcher.manifest.ResolvedAgent;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything a launch would create, decided before anything is created. It contains names of
 * secrets (host variables, {@code token_ref}s, key files) but never their values.
 *
 * @param identity the bottle identity, {@code <agent>-<5 base-36 characters>}
 * @param resolved the agent and its merged bottle
 * @param allowlist the effective egress allowlist: built-in hosts, the bottle's, and route upstreams
 * @param skills the agent's skills, each with its folder on the host
 * @param runtime the container runtime
 * @param images the images the containers start from
 * @param stateFolder where the bottle's state would live on the host; a plan does not create it
 */
public record BottlePlan(String identity, ResolvedAgent resolved, List<String> allowlist, List<Skill> skills,
        ContainerRuntime runtime, Images images, Path stateFolder) {

    /** cred-proxy as the agent reaches it on the bottle's internal network. */
    public static final URI CRED_PROXY_URL = URI.create("http://cred-proxy:9099");

    public BottlePlan {
        allowlist = List.copyOf(allowlist);
        skills = List.copyOf(skills);
    }

    public Agent agent() {
        return resolved.agent();
    }

    public Bottle bottle() {
        return resolved.bottle();
    }

    /**
     * Returns whether egress-proxy decrypts HTTPS with the bottle's own CA. It always does,
     * because DLP scanning needs the plain request, and the preflight states it.
     */
    public boolean tlsInterception() {
        return true;
    }

    /**
     * Renders what the route roles set in the agent: variables such as {@code ANTHROPIC_BASE_URL}
     * and files such as {@code ~/.npmrc}, all pointing at cred-proxy. None of it is secret.
     */
    public AgentSetup agentSetup() {
        Set<String> gatedHosts = bottle().git().stream().map(GitRemote::upstreamHost).collect(Collectors.toSet());
        return AgentRoles.render(RouteTable.of(bottle().routes()), CRED_PROXY_URL, gatedHosts);
    }

    /** Returns this plan with the agent container started from {@code image}. */
    public BottlePlan withAgentImage(String image) {
        return new BottlePlan(identity, resolved, allowlist, skills, runtime, new Images(image, images.bundle()),
                stateFolder);
    }

    /** A skill folder copied into the agent's {@code ~/.claude/skills/}. */
    public record Skill(String name, Path folder) {
    }

    /** The images of the two containers. */
    public record Images(String agent, String bundle) {

        public static final Images DEFAULT = new Images("claude-bottle/agent", "claude-bottle/bundle");

        /** The repository of agent images built for one bottle from its approved capabilities. */
        public static final String BOTTLE_AGENT = "claude-bottle/bottle-agent";

        /** Returns the tag of the agent image built for bottle {@code identity}. */
        public static String bottleAgent(String identity) {
            return BOTTLE_AGENT + ":" + identity;
        }
    }
}
