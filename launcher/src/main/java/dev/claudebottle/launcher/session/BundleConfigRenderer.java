package dev.claudebottle.launcher.session;

import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.credproxy.route.RouteRole;
import dev.claudebottle.launcher.manifest.Bottle;
import dev.claudebottle.launcher.manifest.GitRemote;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Renders the bundle config (the YAML that bundle-init reads at
 * {@code /etc/claude-bottle/bundle.yaml}) from a plan. It contains names of secrets, never values, because
 * tokens and SSH keys reach the bundle separately, over {@code docker exec} standard input.
 */
public final class BundleConfigRenderer {

    public static final String RUN_DIR = "/run/claude-bottle";
    public static final String SECRETS_DIR = RUN_DIR + "/secrets";
    public static final String STATE_DIR = "/state";
    public static final String CONFIG_PATH = "/etc/claude-bottle/bundle.yaml";
    public static final String CA_PATH = RUN_DIR + "/ca.pem";
    /** Where the bottle's {@code egress.upstream_ca} files are inside the bundle (in the state mount). */
    public static final String UPSTREAM_CA_DIR = STATE_DIR + "/upstream-ca";

    /** The names the agent reaches the bundle by; the DNS responder answers exactly these. */
    public static final List<String> BOTTLE_NAMES = List.of("egress", "pipelock", "cred-proxy", "git-gate", "supervise");

    public static final int EGRESS_PORT = 8888;
    public static final int CRED_PROXY_PORT = 9099;
    public static final int GIT_GATE_PORT = 9418;
    public static final int SUPERVISE_PORT = 9100;

    /** How long services that need a secret wait for the launcher to hand the secrets over. */
    static final int SECRETS_TIMEOUT_SECONDS = 30;

    private BundleConfigRenderer() {
    }

    /** Returns whether the bundle needs secrets: a token for a route or a key for a git upstream. */
    public static boolean needsSecrets(BottlePlan plan) {
        return !plan.bottle().routes().isEmpty() || !plan.bottle().git().isEmpty();
    }

    /** Renders the config of {@code plan} as YAML. */
    public static String render(BottlePlan plan) {
        Bottle bottle = plan.bottle();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("bottle", plan.identity());
        root.put("run_dir", RUN_DIR);
        root.put("secrets_dir", SECRETS_DIR);
        root.put("state_dir", STATE_DIR);
        // Without routes or git entries nothing needs a secret, so the bundle must not wait for one.
        root.put("secrets_timeout_seconds", needsSecrets(plan) ? SECRETS_TIMEOUT_SECONDS : 0);
        root.put("egress", egress(plan));
        if (!bottle.routes().isEmpty()) {
            root.put("cred_proxy", Map.of("listen", "0.0.0.0:" + CRED_PROXY_PORT, "routes", routes(bottle.routes())));
        }
        if (!bottle.git().isEmpty()) {
            root.put("git", Map.of("listen", "0.0.0.0:" + GIT_GATE_PORT, "repos", repos(bottle.git())));
        }
        if (bottle.supervise()) {
            root.put("supervise", Map.of("listen", "0.0.0.0:" + SUPERVISE_PORT));
        }
        root.put("dns", Map.of("listen", "0.0.0.0:53", "names", BOTTLE_NAMES));

        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
        return "# Rendered by claude-bottle for bottle " + plan.identity() + "; do not edit.\n"
                + new Dump(settings).dumpToString(root);
    }

    private static Map<String, Object> egress(BottlePlan plan) {
        Map<String, Object> egress = new LinkedHashMap<>();
        egress.put("listen", "0.0.0.0:" + EGRESS_PORT);
        List<Map<String, Object>> allowlist = new ArrayList<>();
        for (String entry : plan.allowlist()) {
            Map<String, Object> rule = allowRule(entry);
            if (plan.bottle().privateHosts().contains(rule.get("host"))) {
                rule.put("allow_private", true);
            }
            allowlist.add(rule);
        }
        egress.put("allowlist", allowlist);
        if (!plan.bottle().upstreamCa().isEmpty()) {
            List<String> files = new ArrayList<>();
            for (int i = 0; i < plan.bottle().upstreamCa().size(); i++) {
                files.add(upstreamCaFile(i));
            }
            egress.put("upstream_ca", files);
        }
        egress.put("audit_log", STATE_DIR + "/audit/egress.jsonl");
        egress.put("dlp", Map.of("action", plan.bottle().dlpAction().manifestName()));
        return egress;
    }

    /** The path inside the bundle of the bottle's {@code index}th {@code egress.upstream_ca} file. */
    public static String upstreamCaFile(int index) {
        return UPSTREAM_CA_DIR + "/" + index + ".pem";
    }

    /** Turns {@code host} or {@code host:port} into an allowlist entry of egress-proxy. */
    static Map<String, Object> allowRule(String entry) {
        Map<String, Object> rule = new LinkedHashMap<>();
        int colon = entry.lastIndexOf(':');
        boolean hasPort = colon > 0 && !entry.startsWith("[") && entry.indexOf(':') == colon
                && entry.substring(colon + 1).chars().allMatch(Character::isDigit) && colon < entry.length() - 1;
        if (hasPort) {
            rule.put("host", entry.substring(0, colon));
            rule.put("ports", List.of(Integer.parseInt(entry.substring(colon + 1))));
        } else {
            rule.put("host", entry);
        }
        return rule;
    }

    private static List<Map<String, Object>> routes(List<Route> routes) {
        List<Map<String, Object>> rendered = new ArrayList<>();
        for (Route route : routes) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("path", route.path());
            map.put("upstream", route.upstream().toString());
            map.put("auth_scheme", route.authScheme().manifestName());
            map.put("token_ref", route.tokenRef());
            if (!route.roles().isEmpty()) {
                map.put("role", route.roles().stream().sorted().map(RouteRole::manifestName).toList());
            }
            rendered.add(map);
        }
        return rendered;
    }

    private static List<Map<String, Object>> repos(List<GitRemote> remotes) {
        List<Map<String, Object>> rendered = new ArrayList<>();
        for (GitRemote remote : remotes) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("Name", remote.name());
            map.put("Upstream", remote.upstream());
            map.put("KnownHostKey", remote.knownHostKey());
            if (!remote.extraHosts().isEmpty()) {
                map.put("ExtraHosts", new LinkedHashMap<>(remote.extraHosts()));
            }
            rendered.add(map);
        }
        return rendered;
    }
}
