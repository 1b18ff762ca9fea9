package dev.claudebottle.launcher.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.credproxy.route.RouteRole;
import dev.claudebottle.launcher.manifest.Bottle;
import dev.claudebottle.launcher.manifest.EnvValue;
import dev.claudebottle.launcher.manifest.GitRemote;
import dev.claudebottle.launcher.manifest.ResolvedAgent;
import java.util.List;
import java.util.Map;

/**
 * Writes a plan or an agent's resolved configuration as JSON for scripts. Keys use the
 * manifest's snake_case spelling. Environment values never appear: each variable shows only
 * where its value comes from.
 */
public final class PlanJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanJson() {
    }

    public static String write(BottlePlan plan) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("identity", plan.identity());
        addResolved(root, plan.resolved(), plan.allowlist());
        ArrayNode skills = ((ObjectNode) root.get("agent")).putArray("skill_folders");
        plan.skills().forEach(skill -> skills.addObject().put("name", skill.name()).put("folder", skill.folder().toString()));
        ObjectNode setup = root.putObject("agent_setup");
        ObjectNode setupEnvironment = setup.putObject("environment");
        plan.agentSetup().environment().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> setupEnvironment.put(entry.getKey(), entry.getValue()));
        ArrayNode files = setup.putArray("files");
        plan.agentSetup().files().forEach(file -> files.add("~/" + file.homeRelativePath()));
        root.putObject("runtime").put("name", plan.runtime().name()).put("reason", plan.runtime().reason());
        root.putObject("images").put("agent", plan.images().agent()).put("bundle", plan.images().bundle());
        root.put("state_folder", plan.stateFolder().toString());
        return toText(root);
    }

    public static String write(ResolvedAgent resolved, List<String> allowlist) {
        ObjectNode root = MAPPER.createObjectNode();
        addResolved(root, resolved, allowlist);
        return toText(root);
    }

    private static void addResolved(ObjectNode root, ResolvedAgent resolved, List<String> allowlist) {
        ObjectNode agent = root.putObject("agent");
        agent.put("name", resolved.agent().name());
        agent.put("file", resolved.agent().file().toString());
        agent.put("source", resolved.agent().fromRepository() ? "repository" : "home");
        resolved.agent().skills().forEach(agent.putArray("skills")::add);

        Bottle bottle = resolved.bottle();
        ObjectNode bottleNode = root.putObject("bottle");
        bottleNode.put("name", bottle.name());
        bottleNode.put("file", bottle.file().toString());
        bottle.chain().subList(0, bottle.chain().size() - 1).forEach(bottleNode.putArray("extends")::add);
        addEnv(bottleNode.putArray("env"), bottle.env());
        addGit(bottleNode.putArray("git"), bottle.git());
        addRoutes(bottleNode.putArray("routes"), bottle.routes());
        bottleNode.put("supervise", bottle.supervise());

        ObjectNode egress = root.putObject("egress");
        allowlist.forEach(egress.putArray("allowlist")::add);
        egress.put("dlp_action", bottle.dlpAction().manifestName());
        egress.put("tls_interception", true);
    }

    private static void addEnv(ArrayNode array, Map<String, EnvValue> env) {
        env.forEach((name, value) -> {
            ObjectNode node = array.addObject().put("name", name);
            if (value instanceof EnvValue.HostVariable host) {
                node.put("source", "host").put("host_variable", host.name());
            } else if (value instanceof EnvValue.Prompt prompt) {
                node.put("source", "prompt").put("prompt", prompt.promptText());
            } else {
                node.put("source", "manifest");
            }
        });
    }

    private static void addGit(ArrayNode array, List<GitRemote> remotes) {
        for (GitRemote remote : remotes) {
            ObjectNode node = array.addObject();
            node.put("name", remote.name());
            node.put("upstream", remote.upstream());
            node.put("identity_file", remote.identityFile().toString());
            node.put("known_host_key", remote.knownHostKey());
            ObjectNode pins = node.putObject("extra_hosts");
            remote.extraHosts().forEach(pins::put);
        }
    }

    private static void addRoutes(ArrayNode array, List<Route> routes) {
        for (Route route : routes) {
            ObjectNode node = array.addObject();
            node.put("path", route.path());
            node.put("upstream", route.upstream().toString());
            node.put("auth_scheme", route.authScheme().manifestName());
            node.put("token_ref", route.tokenRef());
            route.roles().stream().map(RouteRole::manifestName).sorted().forEach(node.putArray("roles")::add);
        }
    }

    private static String toText(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new AssertionError("a tree of plain JSON nodes always serialises", e);
        }
    }
}
