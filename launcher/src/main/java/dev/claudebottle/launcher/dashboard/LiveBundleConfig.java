package dev.claudebottle.launcher.dashboard;

import dev.claudebottle.credproxy.CredProxyException;
import dev.claudebottle.credproxy.route.RouteTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The bundle config of a running bottle ({@code bundle.yaml} in its state folder), edited so that an
 * approval takes effect without a restart: the bundle re-reads the file on SIGHUP.
 *
 * <p>The file is bind-mounted into the bundle as a single file, which pins its inode, so
 * {@link #write} rewrites it in place; a rename would leave the bundle reading the old file. The
 * bundle reads it only on SIGHUP, which the caller sends after the write.
 */
final class LiveBundleConfig {

    private final Path file;
    private final String header;
    private final Map<String, Object> root;

    private LiveBundleConfig(Path file, String header, Map<String, Object> root) {
        this.file = file;
        this.header = header;
        this.root = root;
    }

    /**
     * Reads the config.
     *
     * @throws DashboardException when it cannot be read or is not a YAML map
     */
    @SuppressWarnings("unchecked")
    static LiveBundleConfig read(Path file) {
        String text = readText(file);
        Object loaded;
        try {
            loaded = new Load(LoadSettings.builder().build()).loadFromString(text);
        } catch (YamlEngineException e) {
            throw invalid(file, e.getMessage());
        }
        if (!(loaded instanceof Map<?, ?> map)) {
            throw invalid(file, "the top level is not a map");
        }
        StringBuilder header = new StringBuilder();
        for (String line : text.lines().toList()) {
            if (!line.startsWith("#")) {
                break;
            }
            header.append(line).append('\n');
        }
        return new LiveBundleConfig(file, header.toString(), new LinkedHashMap<>((Map<String, Object>) map));
    }

    /** Returns the file's bytes, for putting it back when a later step of an apply fails. */
    static byte[] snapshot(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DashboardException("cannot read the bundle config " + file, String.valueOf(e.getMessage()),
                    "check the permissions of the bottle's state folder", e);
        }
    }

    /** Writes {@code bytes} over the file in place, keeping its inode. */
    static void restore(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new DashboardException("cannot write the bundle config " + file, String.valueOf(e.getMessage()),
                    "check free space and the permissions of the bottle's state folder", e);
        }
    }

    /** Returns the egress allowlist entries as {@code host} or {@code host:port} strings. */
    List<String> allowlist() {
        List<String> entries = new ArrayList<>();
        for (Object entry : list(section("egress"), "allowlist")) {
            if (entry instanceof String host) {
                entries.add(host);
            } else if (entry instanceof Map<?, ?> rule && rule.get("host") instanceof String host) {
                Object ports = rule.get("ports");
                if (ports instanceof List<?> list && !list.isEmpty()) {
                    list.forEach(port -> entries.add(host + ":" + port));
                } else {
                    entries.add(host);
                }
            }
        }
        return entries;
    }

    /** Returns the cred-proxy routes as maps of route keys. */
    List<Map<String, Object>> routes() {
        List<Map<String, Object>> routes = new ArrayList<>();
        for (Object route : list(section("cred_proxy"), "routes")) {
            if (route instanceof Map<?, ?> map) {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((key, value) -> copy.put(String.valueOf(key), value));
                routes.add(copy);
            }
        }
        return routes;
    }

    /** Returns the token names the running bundle has, which are those its routes named when it started. */
    Set<String> tokenRefs() {
        return routes().stream().map(route -> String.valueOf(route.get("token_ref"))).collect(Collectors.toSet());
    }

    /**
     * Adds an allowlist entry in egress-proxy's form: {@code host}, plus {@code ports} unless the port
     * is the scheme's default, which an entry without ports covers, plus {@code allow_private} when
     * the operator let the host resolve to private addresses.
     */
    void allow(String host, int port, String scheme, boolean allowPrivate) {
        Map<String, Object> egress = section("egress");
        List<Object> allowlist = new ArrayList<>(list(egress, "allowlist"));
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("host", host.toLowerCase(Locale.ROOT));
        if (!ApprovalApplier.defaultPort(scheme, port)) {
            rule.put("ports", List.of(port));
        }
        if (allowPrivate) {
            rule.put("allow_private", true);
        }
        allowlist.add(rule);
        egress.put("allowlist", allowlist);
        root.put("egress", egress);
    }

    /**
     * Adds a cred-proxy route after checking the whole table as cred-proxy will.
     *
     * @throws DashboardException when the table with the new route is invalid
     */
    void addRoute(Map<String, Object> route) {
        Map<String, Object> credProxy = section("cred_proxy");
        List<Object> routes = new ArrayList<>(list(credProxy, "routes"));
        routes.add(route);
        try {
            RouteTable.parse(routes);
        } catch (CredProxyException e) {
            throw new DashboardException("cannot add route " + route.get("path") + " to the running bundle",
                    e.getMessage(), "modify the request to use a free path, then approve it again", e);
        }
        credProxy.put("routes", routes);
        root.put("cred_proxy", credProxy);
    }

    /** Returns the config as YAML, with the file's leading comment kept. */
    String render() {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
        return header + new Dump(settings).dumpToString(root);
    }

    /** Writes the config over the file in place (see the class comment). */
    void write() {
        restore(file, render().getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> section(String name) {
        Object section = root.get(name);
        return section instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : new LinkedHashMap<>();
    }

    private static List<?> list(Map<String, Object> section, String key) {
        return section.get(key) instanceof List<?> list ? list : List.of();
    }

    private static String readText(Path file) {
        return new String(snapshot(file), StandardCharsets.UTF_8);
    }

    private static DashboardException invalid(Path file, String why) {
        return new DashboardException("cannot read the bundle config " + file, why,
                "restart the bottle with `claude-bottle resume`, which renders the file again");
    }
}
