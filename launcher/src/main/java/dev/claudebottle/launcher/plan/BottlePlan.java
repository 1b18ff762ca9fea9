package dev.claudebottle.launcher.plan;

import dev.claudebottle.launcher.manifest.Agent;
import dev.claudebottle.launcher.manifest.Bottle;
import dev.claudebottle.launcher.manifest.ResolvedAgent;
import java.nio.file.Path;
import java.util.List;

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
     * because DLP scanning needs the plain request, and the preflight says so.
     */
    public boolean tlsInterception() {
        return true;
    }

    /** A skill folder copied into the agent's {@code ~/.claude/skills/}. */
    public record Skill(String name, Path folder) {
    }

    /** The images of the two containers. */
    public record Images(String agent, String bundle) {

        public static final Images DEFAULT = new Images("claude-bottle/agent", "claude-bottle/bundle");
    }
}
