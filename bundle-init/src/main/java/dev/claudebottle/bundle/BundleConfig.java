package dev.claudebottle.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The bundle config the launcher renders for one bottle: one YAML (or JSON) document.
 *
 * <pre>
 * bottle: implementer-k3x9a          # the bottle's identity, for logs and the audit trail
 * services: [egress, cred-proxy, git-gate, supervise, dns]   # optional: default is every section present
 * run_dir: /run/claude-bottle        # health files and the CA certificate (default shown)
 * secrets_dir: /run/claude-bottle/secrets   # the tmpfs receive-secrets writes (default shown)
 * state_dir: /state                  # audit logs and the supervise queue, mounted from the host
 * secrets_timeout_seconds: 30        # how long services that need secrets wait for them
 * egress: {...}                      # egress-proxy's own config keys; listen defaults to 0.0.0.0:8888
 * cred_proxy: {listen: 0.0.0.0:9099, routes: [...]}
 * git: {listen: 0.0.0.0:9418, repos: [{Name, Upstream, KnownHostKey, ExtraHosts}]}
 * supervise: {listen: 0.0.0.0:9100}
 * dns: {listen: 0.0.0.0:53, names: [egress, pipelock, cred-proxy, git-gate, supervise]}
 * </pre>
 *
 * <p>Each service's section is handed to that service's own parser, so its keys and errors are
 * the service's. This class checks the top level strictly: unknown keys fail with a suggestion.
 *
 * @param sections the raw section of each service present, by service name
 */
public record BundleConfig(String source, String bottle, List<String> services, Path runDir, Path secretsDir,
        Path stateDir, Duration secretsTimeout, Map<String, Map<String, Object>> sections) {

    /** Services in their start order: egress-proxy mints the CA that cred-proxy trusts. */
    public static final List<String> SERVICE_ORDER = List.of("egress", "cred-proxy", "git-gate", "supervise", "dns");

    private static final Map<String, String> SECTION_OF_SERVICE = Map.of(
            "egress", "egress", "cred-proxy", "cred_proxy", "git-gate", "git", "supervise", "supervise", "dns", "dns");
    private static final Set<String> TOP_LEVEL_KEYS = Set.of("bottle", "services", "run_dir", "secrets_dir",
            "state_dir", "secrets_timeout_seconds", "egress", "cred_proxy", "git", "supervise", "dns");

    /** Reads and checks a bundle config file. */
    public static BundleConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new BundleConfigException("cannot read the bundle config " + file + ": " + e.getMessage()
                    + "; the launcher mounts it read-only at this path", e);
        }
        return parse(text, file.toString());
    }

    /** Parses and checks bundle config text; {@code source} names it in errors. */
    public static BundleConfig parse(String text, String source) {
        Object document;
        try {
            document = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).setLabel(source).build())
                    .loadFromString(text);
        } catch (YamlEngineException e) {
            throw new BundleConfigException(source + ": not valid YAML or JSON: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> root)) {
            throw new BundleConfigException(source + ": the bundle config must be a mapping of keys such as "
                    + "bottle, egress and cred_proxy");
        }
        for (Object key : root.keySet()) {
            if (!TOP_LEVEL_KEYS.contains(String.valueOf(key))) {
                throw new BundleConfigException(source + ": unknown key '" + key + "'"
                        + suggestion(String.valueOf(key), TOP_LEVEL_KEYS) + "; valid keys: "
                        + String.join(", ", TOP_LEVEL_KEYS.stream().sorted().toList()));
            }
        }

        String bottle = requiredString(root, "bottle", source);
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        for (String service : SERVICE_ORDER) {
            Object section = root.get(SECTION_OF_SERVICE.get(service));
            if (section != null) {
                sections.put(service, mapping(section, SECTION_OF_SERVICE.get(service), source));
            }
        }
        List<String> services = services(root.get("services"), sections, source);
        Path runDir = Path.of(optionalString(root, "run_dir", "/run/claude-bottle", source));
        Path secretsDir = Path.of(optionalString(root, "secrets_dir", runDir.resolve("secrets").toString(), source));
        Path stateDir = Path.of(optionalString(root, "state_dir", "/state", source));
        Duration secretsTimeout = Duration.ofSeconds(optionalInt(root, "secrets_timeout_seconds", 30, source));
        return new BundleConfig(source, bottle, services, runDir, secretsDir, stateDir, secretsTimeout, sections);
    }

    /** Returns a service's section, or an empty map when the document has none. */
    public Map<String, Object> section(String service) {
        return sections.getOrDefault(service, Map.of());
    }

    /** Returns where the bundle publishes the bottle's CA certificate for the launcher. */
    public Path caCertificatePath() {
        return runDir.resolve("ca.pem");
    }

    private static List<String> services(Object value, Map<String, Map<String, Object>> sections, String source) {
        if (value == null) {
            // egress and dns need no section: their defaults are a full bottle's.
            Set<String> present = new LinkedHashSet<>(List.of("egress"));
            present.addAll(sections.keySet());
            present.add("dns");
            return SERVICE_ORDER.stream().filter(present::contains).toList();
        }
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new BundleConfigException(source + ": 'services' must be a non-empty list of "
                    + String.join(", ", SERVICE_ORDER));
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (Object item : list) {
            String name = String.valueOf(item);
            if (!SERVICE_ORDER.contains(name)) {
                throw new BundleConfigException(source + ": unknown service '" + name + "' in 'services'"
                        + suggestion(name, SERVICE_ORDER) + "; valid services: " + String.join(", ", SERVICE_ORDER));
            }
            chosen.add(name);
        }
        List<String> ordered = new ArrayList<>(chosen);
        ordered.sort(Comparator.comparingInt(SERVICE_ORDER::indexOf));
        return List.copyOf(ordered);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Object value, String key, String source) {
        if (!(value instanceof Map<?, ?>)) {
            throw new BundleConfigException(source + ": '" + key + "' must be a mapping");
        }
        return (Map<String, Object>) value;
    }

    private static String requiredString(Map<?, ?> root, String key, String source) {
        Object value = root.get(key);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new BundleConfigException(source + ": '" + key + "' is missing or not a string;"
                    + " set it to the bottle's identity, for example implementer-k3x9a");
        }
        return text;
    }

    private static String optionalString(Map<?, ?> root, String key, String fallback, String source) {
        Object value = root.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw new BundleConfigException(source + ": '" + key + "' must be a non-empty string (a path)");
        }
        return text;
    }

    private static int optionalInt(Map<?, ?> root, String key, int fallback, String source) {
        Object value = root.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Integer number) || number < 0) {
            throw new BundleConfigException(source + ": '" + key + "' must be a whole number of seconds, 0 or more");
        }
        return number;
    }

    static String suggestion(String given, java.util.Collection<String> valid) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : valid) {
            int distance = editDistance(given, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, given.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
