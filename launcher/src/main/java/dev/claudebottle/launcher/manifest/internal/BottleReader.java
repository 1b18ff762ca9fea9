package dev.claudebottle.launcher.manifest.internal;

import dev.claudebottle.credproxy.CredProxyException;
import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.credproxy.route.RouteTable;
import dev.claudebottle.launcher.manifest.DlpAction;
import dev.claudebottle.launcher.manifest.EnvValue;
import dev.claudebottle.launcher.manifest.GitRemote;
import dev.claudebottle.launcher.manifest.HostEnvironment;
import dev.claudebottle.launcher.manifest.internal.BottleLayer.Positioned;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one bottle file's frontmatter into a {@link BottleLayer}, checking every key and value
 * and the host it runs on: {@code ${VAR}} values and {@code token_ref}s must be set, and each
 * {@code IdentityFile} must exist.
 */
public final class BottleReader {

    public static final List<String> KEYS = List.of("env", "git", "cred_proxy", "egress", "supervise", "extends");
    static final List<String> CRED_PROXY_KEYS = List.of("routes");
    static final List<String> EGRESS_KEYS = List.of("allowlist", "dlp_action", "allow_private", "upstream_ca");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /**
     * Variables the launcher sets in every agent to route it through the bundle and trust the
     * bottle's CA; a bottle that set one would break the agent's network access.
     */
    static final Set<String> RESERVED_ENV = Set.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy",
            "NO_PROXY", "no_proxy", "NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
            "GIT_SSL_CAINFO", "CLAUDE_BOTTLE_IDENTITY");
    private static final Pattern HOST_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern ALLOWLIST_ENTRY = Pattern.compile(
            "(\\*\\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?");
    private static final Pattern ROUTE_PROBLEM_INDEX = Pattern.compile("^cred_proxy\\.routes\\[(\\d+)]");

    private final HostEnvironment host;
    private final Problems problems;

    private BottleReader(HostEnvironment host, Problems problems) {
        this.host = host;
        this.problems = problems;
    }

    /** Reads the bottle {@code name} from its parsed frontmatter; problems go to {@code problems}. */
    public static BottleLayer read(String name, YamlNode.Mapping root, String body, HostEnvironment host,
            Problems problems) {
        return new BottleReader(host, problems).read(name, root, body);
    }

    private BottleLayer read(String name, YamlNode.Mapping root, String body) {
        Fields fields = Fields.of(root, "", KEYS, problems);

        Map<String, EnvValue> env = readEnv(fields);
        List<Positioned<GitRemote>> git = new GitReader(host, problems).read(fields);
        Optional<YamlNode.Mapping> credProxy = fields.map("cred_proxy", "write `cred_proxy:` and below it `  routes:`");
        Position routesPosition = fields.position("cred_proxy");
        List<Positioned<Route>> routes = List.of();
        if (credProxy.isPresent()) {
            Fields credFields = Fields.of(credProxy.get(), "cred_proxy", CRED_PROXY_KEYS, problems);
            routesPosition = credFields.position("routes");
            routes = readRoutes(credFields);
        }
        List<String> allowlist = List.of();
        List<String> privateHosts = List.of();
        List<Path> upstreamCa = List.of();
        DlpAction dlpAction = null;
        Optional<YamlNode.Mapping> egress = fields.map("egress", "write `egress:` and below it `  allowlist:`");
        if (egress.isPresent()) {
            Fields egressFields = Fields.of(egress.get(), "egress", EGRESS_KEYS, problems);
            allowlist = readAllowlist(egressFields);
            dlpAction = readDlpAction(egressFields);
            privateHosts = readPrivateHosts(egressFields, allowlist);
            upstreamCa = readUpstreamCa(egressFields);
        }
        Boolean supervise = fields.bool("supervise").orElse(null);
        List<Positioned<String>> parents = readParents(fields);
        return new BottleLayer(name, problems.file(), body, env, git, routes, routesPosition, allowlist, dlpAction,
                supervise, parents, privateHosts, upstreamCa);
    }

    private Map<String, EnvValue> readEnv(Fields fields) {
        Map<String, EnvValue> env = new LinkedHashMap<>();
        Optional<YamlNode.Mapping> map = fields.map("env", "write one `NAME: value` per line below `env:`");
        if (map.isEmpty()) {
            return env;
        }
        for (YamlNode.Entry entry : map.get().entries()) {
            if (!ENV_NAME.matcher(entry.key()).matches()) {
                problems.add(entry.keyPosition(), "env name '" + entry.key() + "' is not a valid variable name",
                        "use letters, digits and _, not starting with a digit");
                continue;
            }
            if (RESERVED_ENV.contains(entry.key())) {
                problems.add(entry.keyPosition(), "env " + entry.key() + " is set by the launcher, which points the"
                        + " agent at the bottle's proxies and CA", "remove " + entry.key() + " from env");
                continue;
            }
            EnvValue value = readEnvValue(entry);
            if (value != null) {
                env.put(entry.key(), value);
            }
        }
        return env;
    }

    private EnvValue readEnvValue(YamlNode.Entry entry) {
        String name = entry.key();
        if (!(entry.value() instanceof YamlNode.Scalar scalar) || scalar.value() instanceof Boolean
                || scalar.value() == null) {
            problems.add(entry.value().position(), "env " + name + " must be text or a number, found "
                    + entry.value().describe(), "quote the value, for example " + name + ": \"true\"");
            return null;
        }
        if (scalar.value() instanceof Long number) {
            return new EnvValue.Literal(number.toString());
        }
        String text = (String) scalar.value();
        if (text.startsWith("?")) {
            return new EnvValue.Prompt(text.substring(1).strip());
        }
        Matcher variable = HOST_VARIABLE.matcher(text);
        if (variable.matches()) {
            String hostName = variable.group(1);
            if (!host.isSet(hostName)) {
                problems.add(scalar.position(), "env " + name + " copies host variable " + hostName
                        + ", which is not set", "export " + hostName + " before starting, or change the value");
            }
            return new EnvValue.HostVariable(hostName);
        }
        if (text.contains("${")) {
            problems.add(scalar.position(), "env " + name + " mixes text with ${...}",
                    "write exactly \"${HOST_VAR}\" to copy a host variable; other text is not expanded");
            return null;
        }
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\0') >= 0) {
            problems.add(scalar.position(), "env " + name + " contains a line break or NUL character",
                    "write a one-line value, or use \"?\" to be asked for it at launch");
            return null;
        }
        return new EnvValue.Literal(text);
    }

    private List<Positioned<Route>> readRoutes(Fields fields) {
        Optional<YamlNode.Sequence> list = fields.list("routes", "write one `- path: ...` entry per route");
        if (list.isEmpty() || list.get().items().isEmpty()) {
            return List.of();
        }
        List<YamlNode> items = list.get().items();
        List<Object> plain = items.stream().map(BottleReader::toPlain).toList();
        Position at = fields.position("routes");
        RouteTable table;
        try {
            table = RouteTable.parse(plain);
        } catch (CredProxyException e) {
            addRouteProblems(e, items, at);
            return List.of();
        }
        List<Positioned<Route>> routes = new ArrayList<>();
        for (int i = 0; i < table.routes().size(); i++) {
            Route route = table.routes().get(i);
            Position routeAt = items.get(i).position();
            routes.add(new Positioned<>(route, routeAt));
            if (!host.isSet(route.tokenRef())) {
                problems.add(routeAt, "route " + route.path() + " takes its token from host variable "
                        + route.tokenRef() + ", which is not set",
                        "export " + route.tokenRef() + " before starting");
            } else if (host.variables().get(route.tokenRef()).isEmpty()) {
                problems.add(routeAt, "route " + route.path() + " takes its token from host variable "
                        + route.tokenRef() + ", which is empty",
                        "export " + route.tokenRef() + " with the token before starting");
            }
        }
        return routes;
    }

    /**
     * Attributes cred-proxy's route problems to the route entries they name. Each problem line
     * starts with {@code cred_proxy.routes[i]}; the rest is cred-proxy's own explanation and fix.
     */
    private void addRouteProblems(CredProxyException e, List<YamlNode> items, Position routesAt) {
        String message = String.valueOf(e.getMessage());
        int colon = message.indexOf(':');
        String detail = colon >= 0 ? message.substring(colon + 1) : message;
        for (String line : detail.split("\n")) {
            String problem = line.strip();
            if (problem.isEmpty()) {
                continue;
            }
            Matcher index = ROUTE_PROBLEM_INDEX.matcher(problem);
            Position at = routesAt;
            if (index.find()) {
                int i = Integer.parseInt(index.group(1));
                at = i < items.size() ? items.get(i).position() : routesAt;
            }
            problems.add(at, problem, "");
        }
    }

    private List<String> readAllowlist(Fields fields) {
        Optional<YamlNode.Sequence> list = fields.list("allowlist", "write one `- host.example.com` per line");
        if (list.isEmpty()) {
            return List.of();
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (YamlNode item : list.get().items()) {
            if (!(item instanceof YamlNode.Scalar scalar && scalar.value() instanceof String text)) {
                problems.add(item.position(), "egress.allowlist entry must be a host name, found " + item.describe(),
                        "write a host such as github.com or \"*.github.com\"");
                continue;
            }
            String host = text.toLowerCase(Locale.ROOT);
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            String problem = allowlistProblem(host);
            if (problem != null) {
                problems.add(item.position(), "egress.allowlist entry '" + text + "' " + problem,
                        "write a host such as github.com, \"*.github.com\" or github.com:8443");
                continue;
            }
            hosts.add(host);
        }
        return List.copyOf(hosts);
    }

    /**
     * Reads {@code allow_private}: hosts of this file's allowlist that may resolve to loopback,
     * private or link-local addresses, such as services on a network the bundle joins with
     * {@code --bundle-network}. Every other host keeps egress-proxy's SSRF guard.
     */
    private List<String> readPrivateHosts(Fields fields, List<String> allowlist) {
        Optional<YamlNode.Sequence> list = fields.list("allow_private", "write one `- host.example.test` per line");
        if (list.isEmpty()) {
            return List.of();
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (YamlNode item : list.get().items()) {
            if (!(item instanceof YamlNode.Scalar scalar && scalar.value() instanceof String text)) {
                problems.add(item.position(), "egress.allow_private entry must be a host name, found "
                        + item.describe(), "write a host of egress.allowlist, such as api.standin.test");
                continue;
            }
            String host = text.toLowerCase(Locale.ROOT);
            if (allowlist.stream().noneMatch(entry -> entry.equals(host) || entry.startsWith(host + ":"))) {
                problems.add(item.position(), "egress.allow_private entry '" + text
                        + "' is not in this file's egress.allowlist", "add it to egress.allowlist too, or remove it");
                continue;
            }
            hosts.add(host);
        }
        return List.copyOf(hosts);
    }

    /** Reads {@code upstream_ca}: PEM files of CAs that egress-proxy trusts upstream besides the system's. */
    private List<Path> readUpstreamCa(Fields fields) {
        Optional<YamlNode.Sequence> list = fields.list("upstream_ca", "write one `- /path/to/ca.pem` per line");
        if (list.isEmpty()) {
            return List.of();
        }
        Set<Path> files = new LinkedHashSet<>();
        for (YamlNode item : list.get().items()) {
            if (!(item instanceof YamlNode.Scalar scalar && scalar.value() instanceof String text)) {
                problems.add(item.position(), "egress.upstream_ca entry must be a file path, found " + item.describe(),
                        "write an absolute path such as ~/certs/test-ca.pem");
                continue;
            }
            Path file = host.expandHome(text);
            if (!file.isAbsolute()) {
                problems.add(item.position(), "egress.upstream_ca entry '" + text + "' is a relative path",
                        "write an absolute path or one starting with ~/");
            } else if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                problems.add(item.position(), "egress.upstream_ca file '" + text + "' does not exist or is not readable",
                        "create the PEM file, or fix the path");
            } else {
                files.add(file);
            }
        }
        return List.copyOf(files);
    }

    private static String allowlistProblem(String host) {
        if (host.contains("://") || host.contains("/")) {
            return "is a URL, not a host name";
        }
        if (host.equals("*") || host.startsWith("*") && !host.startsWith("*.")) {
            return "is a wildcard other than *.suffix";
        }
        if (!ALLOWLIST_ENTRY.matcher(host).matches()) {
            return "is not a valid host name";
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            int port = Integer.parseInt(host.substring(colon + 1));
            if (port < 1 || port > 65535) {
                return "has a port outside 1-65535";
            }
        }
        return null;
    }

    private DlpAction readDlpAction(Fields fields) {
        Optional<YamlNode.Scalar> node = fields.stringNode("dlp_action");
        if (node.isEmpty()) {
            return null;
        }
        String text = (String) node.get().value();
        for (DlpAction action : DlpAction.values()) {
            if (action.manifestName().equals(text)) {
                return action;
            }
        }
        problems.add(node.get().position(), "egress.dlp_action '" + text + "' is not block or warn",
                "write `dlp_action: block` (the default) or `dlp_action: warn`");
        return null;
    }

    private List<Positioned<String>> readParents(Fields fields) {
        Optional<YamlNode> node = fields.node("extends");
        if (node.isEmpty()) {
            return List.of();
        }
        List<YamlNode> items = node.get() instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(node.get());
        List<Positioned<String>> parents = new ArrayList<>();
        Map<String, Position> seen = new HashMap<>();
        for (YamlNode item : items) {
            if (!(item instanceof YamlNode.Scalar scalar && scalar.value() instanceof String parent)
                    || !ManifestNames.isValid(parent)) {
                problems.add(item.position(), "extends entry " + item.describe() + " is not a bottle name",
                        "write the name of a bottle in the bottles folder, or a list of them");
                continue;
            }
            if (seen.putIfAbsent(parent, item.position()) != null) {
                problems.add(item.position(), "bottle " + parent + " is listed twice in extends", "list it once");
                continue;
            }
            parents.add(new Positioned<>(parent, item.position()));
        }
        return parents;
    }

    /** Converts a node into the plain maps, lists and scalars that cred-proxy's route parser reads. */
    static Object toPlain(YamlNode node) {
        if (node instanceof YamlNode.Scalar scalar) {
            return scalar.value();
        }
        if (node instanceof YamlNode.Sequence sequence) {
            return sequence.items().stream().map(BottleReader::toPlain).toList();
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (YamlNode.Entry entry : ((YamlNode.Mapping) node).entries()) {
            map.put(entry.key(), toPlain(entry.value()));
        }
        return map;
    }
}
