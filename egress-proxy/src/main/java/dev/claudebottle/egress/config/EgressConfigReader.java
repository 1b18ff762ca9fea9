package dev.claudebottle.egress.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import dev.claudebottle.egress.EgressConfig;
import dev.claudebottle.egress.EgressProxyException;
import dev.claudebottle.egress.policy.HostNames;
import dev.claudebottle.egress.policy.IpLiterals;

/**
 * Reads the proxy's YAML config strictly: unknown keys fail with a "did you mean" hint, and
 * every error names the file, line and column. Relative paths are taken relative to the config
 * file's directory.
 *
 * <pre>
 * listen: 127.0.0.1:8888            # host:port; port 0 picks a free port
 * workers: 0                        # event-loop threads; 0 = one per core
 * allowlist:
 *   - host: api.anthropic.com       # exact name, "*.suffix" or an IP literal
 *     ports: [443]                  # default: 443 for CONNECT, 80 for http://
 *     allow_private: false          # allow loopback/private/link-local addresses
 * resolve:                          # pinned addresses, consulted before DNS
 *   origin.test: 127.0.0.1          # an address or a list of addresses
 * upstream_ca: [extra-ca.pem]       # extra CAs trusted for upstream TLS
 * ca:
 *   cert_out: bottle-ca.pem         # the CA certificate is written here at start
 *   cert_file: ca.pem               # load this CA instead of generating one
 *   key_file: ca-key.pem            # (with cert_file)
 * audit_log: audit.jsonl
 * dlp:
 *   enabled: true
 *   action: block                   # block | warn
 *   max_scanned_body: 16MiB
 *   past_max: refuse                # refuse (413) | pass (forward the rest unscanned)
 *   max_decoded_body: 64MiB         # decompressed-size cap; past it: 413
 * limits:
 *   max_connections: 4096
 *   header_timeout: 10s
 *   idle_timeout: 300s
 *   connect_timeout: 10s
 *   max_header_size: 64KiB
 *   max_initial_line_length: 16KiB
 * credentials:                      # injected credentials: allowed toward host only
 *   - name: github
 *     host: api.github.com
 *     value_file: /run/secrets/gh   # or value_env: GH_TOKEN; never the value itself
 * hints:                            # the last line of refusal bodies
 *   access: Ask the platform team to allowlist the host.   # host, port or address refused
 *   secret: Remove the secret from the request.             # DLP refused the request
 * </pre>
 */
public final class EgressConfigReader {

    private static final Set<String> TOP_KEYS = Set.of("listen", "workers", "allowlist", "resolve",
            "upstream_ca", "ca", "audit_log", "dlp", "limits", "credentials", "hints");
    private static final Set<String> ALLOW_KEYS = Set.of("host", "ports", "allow_private");
    private static final Set<String> CA_KEYS = Set.of("cert_out", "cert_file", "key_file");
    private static final Set<String> HINT_KEYS = Set.of("access", "secret");
    private static final Set<String> DLP_KEYS = Set.of("enabled", "action", "max_scanned_body",
            "past_max", "max_decoded_body");
    private static final Set<String> LIMIT_KEYS = Set.of("max_connections", "header_timeout",
            "idle_timeout", "connect_timeout", "max_header_size", "max_initial_line_length");
    private static final Set<String> CREDENTIAL_KEYS = Set.of("name", "host", "value_file",
            "value_env");

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private final String source;
    private final Path baseDir;

    private EgressConfigReader(String source, Path baseDir) {
        this.source = source;
        this.baseDir = baseDir;
    }

    /** Reads and parses {@code file}. */
    public static EgressConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new EgressProxyException("cannot read config file " + file + ": it does not exist; "
                    + "check the path given with --config", e);
        } catch (IOException e) {
            throw new EgressProxyException("cannot read config file " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null || e.getMessage().equals(file.toString()) ? "" : " (" + e.getMessage() + ")")
                    + "; check the path given with --config and its permissions", e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return new EgressConfigReader(file.toString(), dir).parseText(text);
    }

    /** Parses YAML text; relative paths resolve against the working directory. */
    public static EgressConfig parse(String yaml, String sourceName) {
        return new EgressConfigReader(sourceName, Path.of("").toAbsolutePath()).parseText(yaml);
    }

    private EgressConfig parseText(String text) {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(source)
                    .setAllowDuplicateKeys(false).setMaxAliasesForCollections(0).build();
            root = new Compose(settings).composeString(text).orElse(null);
        } catch (YamlEngineException e) {
            throw new EgressProxyException(source + ": invalid YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            throw new EgressProxyException(source + ": the config is empty; it needs at least "
                    + "an allowlist");
        }
        Map<String, Node> top = mapping(root, "the config", TOP_KEYS);
        EgressConfig.Builder b = EgressConfig.builder();

        optional(top, "listen").ifPresent(n -> b.listen(listenAddress(n)));
        optional(top, "workers").ifPresent(n -> b.workers(integer(n, "workers", 0, 1024)));
        optional(top, "allowlist").ifPresent(n -> b.allowlist(allowlist(n)));
        optional(top, "resolve").ifPresent(n -> resolve(n, b));
        optional(top, "upstream_ca").ifPresent(n -> {
            for (Node item : sequence(n, "upstream_ca")) {
                b.upstreamCa(path(item, "upstream_ca"));
            }
        });
        optional(top, "ca").ifPresent(n -> ca(n, b));
        optional(top, "audit_log").ifPresent(n -> b.auditLog(path(n, "audit_log")));
        optional(top, "dlp").ifPresent(n -> b.dlp(dlp(n)));
        optional(top, "limits").ifPresent(n -> b.limits(limits(n)));
        optional(top, "hints").ifPresent(n -> b.hints(hints(n)));
        optional(top, "credentials").ifPresent(n -> {
            for (Node item : sequence(n, "credentials")) {
                b.credential(credential(item));
            }
        });
        return b.build();
    }

    private InetSocketAddress listenAddress(Node node) {
        String text = string(node, "listen");
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw error(node, "listen '" + text + "' must be host:port, for example 127.0.0.1:8888");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw error(node, "listen port '" + portText + "' must be a number from 0 to 65535");
        }
        if (host.equals("localhost")) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }
        try {
            Optional<InetAddress> address = IpLiterals.parse(host);
            if (address.isEmpty()) {
                throw error(node, "listen host '" + host + "' must be an IP address or localhost");
            }
            return new InetSocketAddress(address.get(), port);
        } catch (IllegalArgumentException e) {
            throw error(node, "listen: " + e.getMessage());
        }
    }

    private List<AllowRule> allowlist(Node node) {
        List<AllowRule> rules = new ArrayList<>();
        for (Node item : sequence(node, "allowlist")) {
            Map<String, Node> entry = mapping(item, "an allowlist entry", ALLOW_KEYS);
            Node hostNode = required(entry, "host", item, "an allowlist entry");
            String host;
            try {
                host = HostNames.normalisePattern(string(hostNode, "host"));
            } catch (IllegalArgumentException e) {
                throw error(hostNode, "allowlist host: " + e.getMessage());
            }
            List<Integer> ports = new ArrayList<>();
            Optional<Node> portsNode = optional(entry, "ports");
            if (portsNode.isPresent()) {
                for (Node p : sequence(portsNode.get(), "ports")) {
                    ports.add(integer(p, "ports", 1, 65535));
                }
            }
            boolean allowPrivate = optional(entry, "allow_private")
                    .map(n -> bool(n, "allow_private")).orElse(false);
            rules.add(new AllowRule(host, ports, allowPrivate));
        }
        return rules;
    }

    private void resolve(Node node, EgressConfig.Builder b) {
        if (!(node instanceof MappingNode map)) {
            throw error(node, "resolve must be a map of host names to addresses");
        }
        for (NodeTuple tuple : map.getValue()) {
            String name;
            try {
                name = HostNames.normalise(string(tuple.getKeyNode(), "resolve"));
            } catch (IllegalArgumentException e) {
                throw error(tuple.getKeyNode(), "resolve: " + e.getMessage());
            }
            Node value = tuple.getValueNode();
            List<Node> items = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
            if (items.isEmpty()) {
                throw error(value, "resolve: " + name + " needs at least one address");
            }
            List<InetAddress> addresses = new ArrayList<>();
            for (Node item : items) {
                String text = string(item, "resolve." + name);
                try {
                    addresses.add(IpLiterals.parse(text).orElseThrow(() -> error(item,
                            "resolve." + name + ": '" + text + "' is not an IP address; give an IPv4 or IPv6 "
                                    + "address such as 127.0.0.1, or a list of them")));
                } catch (IllegalArgumentException e) {
                    throw error(item, "resolve." + name + ": " + e.getMessage());
                }
            }
            b.resolve(name, addresses);
        }
    }

    private void ca(Node node, EgressConfig.Builder b) {
        Map<String, Node> ca = mapping(node, "ca", CA_KEYS);
        optional(ca, "cert_out").ifPresent(n -> b.caCertOut(path(n, "ca.cert_out")));
        Optional<Node> cert = optional(ca, "cert_file");
        Optional<Node> key = optional(ca, "key_file");
        if (cert.isPresent() != key.isPresent()) {
            throw error(node, "ca.cert_file and ca.key_file must be given together");
        }
        if (cert.isPresent()) {
            b.caFiles(path(cert.get(), "ca.cert_file"), path(key.get(), "ca.key_file"));
        }
    }

    private RefusalHints hints(Node node) {
        Map<String, Node> hints = mapping(node, "hints", HINT_KEYS);
        return new RefusalHints(
                optional(hints, "access").map(n -> string(n, "hints.access")).orElse(RefusalHints.DEFAULTS.access()),
                optional(hints, "secret").map(n -> string(n, "hints.secret")).orElse(RefusalHints.DEFAULTS.secret()));
    }

    private DlpSettings dlp(Node node) {
        Map<String, Node> dlp = mapping(node, "dlp", DLP_KEYS);
        DlpSettings d = DlpSettings.DEFAULTS;
        boolean enabled = optional(dlp, "enabled").map(n -> bool(n, "dlp.enabled")).orElse(d.enabled());
        DlpSettings.Action action = optional(dlp, "action")
                .map(n -> choice(n, "dlp.action", DlpSettings.Action.class)).orElse(d.action());
        long maxScanned = optional(dlp, "max_scanned_body")
                .map(n -> size(n, "dlp.max_scanned_body")).orElse(d.maxScannedBody());
        DlpSettings.PastMax pastMax = optional(dlp, "past_max")
                .map(n -> choice(n, "dlp.past_max", DlpSettings.PastMax.class)).orElse(d.pastMax());
        long maxDecoded = optional(dlp, "max_decoded_body")
                .map(n -> size(n, "dlp.max_decoded_body")).orElse(d.maxDecodedBody());
        return new DlpSettings(enabled, action, maxScanned, pastMax, maxDecoded);
    }

    private Limits limits(Node node) {
        Map<String, Node> map = mapping(node, "limits", LIMIT_KEYS);
        Limits d = Limits.DEFAULTS;
        return new Limits(
                optional(map, "max_connections").map(n -> integer(n, "limits.max_connections", 1,
                        1_000_000)).orElse(d.maxConnections()),
                optional(map, "header_timeout").map(n -> duration(n, "limits.header_timeout"))
                        .orElse(d.headerTimeout()),
                optional(map, "idle_timeout").map(n -> duration(n, "limits.idle_timeout"))
                        .orElse(d.idleTimeout()),
                optional(map, "connect_timeout").map(n -> duration(n, "limits.connect_timeout"))
                        .orElse(d.connectTimeout()),
                optional(map, "max_header_size").map(n -> (int) Math.min(size(n,
                        "limits.max_header_size"), 1 << 20)).orElse(d.maxHeaderSize()),
                optional(map, "max_initial_line_length").map(n -> (int) Math.min(size(n,
                        "limits.max_initial_line_length"), 1 << 20)).orElse(d.maxInitialLineLength()));
    }

    private CredentialBinding credential(Node node) {
        if (node instanceof MappingNode m && m.getValue().stream()
                .anyMatch(t -> t.getKeyNode() instanceof ScalarNode s && s.getValue().equals("value"))) {
            throw error(node, "credentials: a value is never written in the config; name a file "
                    + "with value_file or an environment variable with value_env");
        }
        Map<String, Node> map = mapping(node, "a credentials entry", CREDENTIAL_KEYS);
        String name = string(required(map, "name", node, "a credentials entry"), "name");
        Node hostNode = required(map, "host", node, "a credentials entry");
        String host;
        try {
            host = HostNames.normalisePattern(string(hostNode, "host"));
        } catch (IllegalArgumentException e) {
            throw error(hostNode, "credentials host: " + e.getMessage());
        }
        Optional<Node> file = optional(map, "value_file");
        Optional<Node> env = optional(map, "value_env");
        if (file.isPresent() == env.isPresent()) {
            throw error(node, "credential '" + name + "' needs exactly one of value_file and "
                    + "value_env");
        }
        CredentialBinding.ValueSource source = file.isPresent()
                ? new CredentialBinding.ValueSource.FromFile(path(file.get(), "value_file"))
                : new CredentialBinding.ValueSource.FromEnv(string(env.get(), "value_env"));
        return new CredentialBinding(name, source, host);
    }

    private Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
        if (!(node instanceof MappingNode map)) {
            throw error(node, what + " must be a map of keys to values");
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            String key = string(tuple.getKeyNode(), "key");
            if (!allowed.contains(key)) {
                throw error(tuple.getKeyNode(), "unknown key '" + key + "' in " + what
                        + suggestion(key, allowed));
            }
            out.put(key, tuple.getValueNode());
        }
        return out;
    }

    private static Optional<Node> optional(Map<String, Node> map, String key) {
        Node node = map.get(key);
        if (node instanceof ScalarNode s && s.getTag().getValue().endsWith(":null")) {
            return Optional.empty();
        }
        return Optional.ofNullable(node);
    }

    private Node required(Map<String, Node> map, String key, Node parent, String what) {
        return optional(map, key).orElseThrow(() -> error(parent, what + " needs the key '" + key + "'"));
    }

    private List<Node> sequence(Node node, String key) {
        if (!(node instanceof SequenceNode seq)) {
            throw error(node, key + " must be a list");
        }
        return seq.getValue();
    }

    private String string(Node node, String key) {
        if (!(node instanceof ScalarNode scalar)) {
            throw error(node, key + " must be a single value, not a list or map");
        }
        return scalar.getValue();
    }

    private int integer(Node node, String key, int min, int max) {
        String text = string(node, key);
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(node, key + " '" + text + "' must be a whole number from " + min + " to " + max);
    }

    private boolean bool(Node node, String key) {
        String text = string(node, key);
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(node, key + " '" + text + "' must be true or false");
        };
    }

    private <E extends Enum<E>> E choice(Node node, String key, Class<E> type) {
        String text = string(node, key);
        for (E value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(text)) {
                return value;
            }
        }
        List<String> names = new ArrayList<>();
        for (E value : type.getEnumConstants()) {
            names.add(value.name().toLowerCase(Locale.ROOT));
        }
        throw error(node, key + " '" + text + "' must be one of " + String.join(", ", names));
    }

    private long size(Node node, String key) {
        String text = string(node, key).trim();
        Matcher m = SIZE.matcher(text);
        if (!m.matches() || m.group(1).length() > 15) {
            throw error(node, key + " '" + text + "' must be a size such as 65536, 64KiB or 16MiB");
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        return switch (unit) {
            case "KiB" -> value << 10;
            case "MiB" -> value << 20;
            case "GiB" -> value << 30;
            default -> value;
        };
    }

    private Duration duration(Node node, String key) {
        String text = string(node, key).trim();
        Matcher m = DURATION.matcher(text);
        if (!m.matches() || m.group(1).length() > 9) {
            throw error(node, key + " '" + text + "' must be a duration such as 500ms, 10s or 5m");
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(value);
            case "m" -> Duration.ofMinutes(value);
            case "h" -> Duration.ofHours(value);
            default -> Duration.ofSeconds(value);
        };
        if (d.isZero()) {
            throw error(node, key + " must be longer than zero");
        }
        return d;
    }

    private Path path(Node node, String key) {
        String text = string(node, key);
        if (text.isBlank()) {
            throw error(node, key + " must be a file path");
        }
        Path p = Path.of(text);
        return p.isAbsolute() ? p : baseDir.resolve(p);
    }

    private EgressProxyException error(Node node, String message) {
        Optional<Mark> mark = node.getStartMark();
        String where = mark.map(m -> source + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
                .orElse(source);
        return new EgressProxyException(where + ": " + message);
    }

    /** Returns " (did you mean 'x'?)" for the closest allowed key, or a list of the keys. */
    static String suggestion(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : allowed) {
            int d = editDistance(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        if (best != null && bestDistance <= Math.max(2, key.length() / 3)) {
            return " (did you mean '" + best + "'?)";
        }
        return "; known keys: " + String.join(", ", new java.util.TreeSet<>(allowed));
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
