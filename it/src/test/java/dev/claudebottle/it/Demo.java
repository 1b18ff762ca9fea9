package dev.claudebottle.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's setup for tests: the stand-ins of {@code scripts/standins.sh} on a network of their
 * own, the manifests of {@code examples/demo/} rendered into a fresh {@code CLAUDE_BOTTLE_HOME},
 * and bottles started with {@code launcher.jar start demo --yes --bundle-network NETWORK -- CMD},
 * exactly as {@code scripts/demo.sh} does. Every bottle and stand-in is removed by {@link #close}.
 */
final class Demo implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path LAUNCHER_JAR = ROOT.resolve("launcher/target/launcher.jar");
    private static final Pattern IDENTITY = Pattern.compile("starting bottle (demo-[a-z0-9]{5})");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUPERVISE_HEADERS = "-H 'Content-Type: application/json' "
            + "-H 'Accept: application/json, text/event-stream' ";

    final Path folder;
    final String network;
    final Map<String, String> standins = new HashMap<>();
    final String token;
    /** The identities of the bottles started so far; bottles may start from several threads. */
    final List<String> identities = Collections.synchronizedList(new ArrayList<>());

    /** A finished command in a bottle: its exit code, standard output and the launcher's messages. */
    record Run(int exitCode, String stdout, String stderr, String identity) {
    }

    private Demo(Path folder, String network) {
        this.folder = folder;
        this.network = network;
        Path env = folder.resolve("standins/standins.env");
        for (String line : read(env).split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                standins.put(line.substring(0, equals), line.substring(equals + 1).replace("\"", ""));
            }
        }
        this.token = read(folder.resolve("standins/token")).strip();
    }

    /** Skips the test when Docker or the bottle images are missing, with the command that makes them. */
    static void assumeReady() {
        assumeTrue(run(List.of("docker", "info"), 30).exitCode() == 0, "no Docker engine; run scripts/prepare-machine.sh");
        for (String image : List.of("claude-bottle/agent", "claude-bottle/bundle", "debian:trixie-slim")) {
            assumeTrue(run(List.of("docker", "image", "inspect", image), 30).exitCode() == 0,
                    "the image " + image + " is missing; run scripts/build-images.sh --agent");
        }
        assumeTrue(Files.isRegularFile(LAUNCHER_JAR), LAUNCHER_JAR + " is missing; run mvn -pl launcher -am package");
        buildBundleImageOnce();
    }

    private static boolean bundleImageBuilt;

    /**
     * Rebuilds claude-bottle/bundle from this checkout's bundle-init.jar once per test run. The
     * launcher uses an image that scripts/build-images.sh made as it is, so without this the tests
     * would run whatever bundle code was built last on this machine.
     */
    private static synchronized void buildBundleImageOnce() {
        if (bundleImageBuilt) {
            return;
        }
        Run build = run(List.of("bash", ROOT.resolve("scripts/build-images.sh").toString(), "--skip-jar"), 900);
        if (build.exitCode() != 0) {
            throw new IllegalStateException("scripts/build-images.sh --skip-jar failed: " + build.stderr());
        }
        bundleImageBuilt = true;
    }

    /** Starts the stand-ins on a fresh network and writes the demo manifests. */
    static Demo start(Path folder) {
        String network = "claude-bottle-it-" + Long.toHexString(System.nanoTime() & 0xffffffL);
        Run up = run(List.of("bash", ROOT.resolve("scripts/standins.sh").toString(), "up",
                folder.resolve("standins").toString(), network), 300);
        if (up.exitCode() != 0) {
            throw new IllegalStateException("scripts/standins.sh up failed: " + up.stderr());
        }
        Demo demo = new Demo(folder, network);
        demo.writeManifests();
        return demo;
    }

    private void writeManifests() {
        for (String file : List.of("bottles/demo.md", "agents/demo.md")) {
            String text = read(ROOT.resolve("examples/demo").resolve(file))
                    .replace("@STANDINS@", folder.resolve("standins").toString())
                    .replace("@KNOWN_HOST_KEY@", standins.get("STANDIN_KNOWN_HOST_KEY"))
                    .replace("@API_HOST@", "api.standin.test");
            Path target = home().resolve(file);
            try {
                Files.createDirectories(target.getParent());
                Files.writeString(target, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    Path home() {
        return folder.resolve("home");
    }

    /** Runs {@code command} in a fresh bottle of agent demo and waits for the bottle to be gone. */
    Run bottle(String... command) {
        return launcher(List.of("start", "demo", "--yes", "--bundle-network", network, "--"), command);
    }

    /** Runs a launcher command (start, resume, ...) with the demo's home and token. */
    Run launcher(List<String> arguments, String... command) {
        return launcher(Map.of(), arguments, command);
    }

    /** Runs a launcher command with the demo's home and token and the variables of {@code extraEnv}. */
    Run launcher(Map<String, String> extraEnv, List<String> arguments, String... command) {
        List<String> argv = new ArrayList<>(List.of("java", "-jar", LAUNCHER_JAR.toString()));
        argv.addAll(arguments);
        argv.addAll(List.of(command));
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("CLAUDE_BOTTLE_HOME", home().toString());
        env.put("CLAUDE_BOTTLE_OAUTH_TOKEN", token);
        Run result = run(argv, env, 300);
        Matcher m = IDENTITY.matcher(result.stderr());
        String identity = m.find() ? m.group(1) : null;
        if (identity != null) {
            identities.add(identity);
        }
        return new Run(result.exitCode(), result.stdout(), result.stderr(), identity);
    }

    /**
     * Returns shell lines that open an MCP session with supervise over curl, call {@code tool}
     * with {@code arguments} (a JSON object without single quotes) and print the result as
     * {@code answer=...}.
     */
    static String callSupervise(String tool, String arguments) {
        return callSupervise(tool, arguments, 100);
    }

    /**
     * As {@link #callSupervise(String, String)}, giving up on the result after
     * {@code maxSeconds}. The request stays queued for the operator either way.
     */
    static String callSupervise(String tool, String arguments, int maxSeconds) {
        return String.join("\n",
                "headers=$(mktemp)",
                "curl -sS -D \"$headers\" -o /dev/null " + SUPERVISE_HEADERS + "--data '{\"jsonrpc\":\"2.0\",\"id\":1,"
                        + "\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                        + "\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}' http://supervise:9100/",
                "session=$(grep -i '^mcp-session-id:' \"$headers\" | cut -d' ' -f2 | tr -d '\\r')",
                "mcp() { curl -sS --max-time " + maxSeconds + " " + SUPERVISE_HEADERS + "-H \"Mcp-Session-Id: $session\" "
                        + "-H 'MCP-Protocol-Version: 2025-06-18' --data \"$1\" http://supervise:9100/; }",
                "mcp '{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}' >/dev/null",
                "echo \"answer=$(mcp '{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                        + "\"" + tool + "\",\"arguments\":" + arguments + "}}')\"");
    }

    /** Returns the requests the Messages API stand-in recorded, one JSON object each. */
    List<JsonNode> apiRequests() {
        Run cat = run(List.of("docker", "exec", standins.get("STANDIN_API_CONTAINER"), "cat",
                "/var/log/standin/requests.jsonl"), 30);
        List<JsonNode> requests = new ArrayList<>();
        for (String line : cat.stdout().split("\n")) {
            if (!line.isBlank()) {
                try {
                    requests.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return requests;
    }

    /** Returns the subjects of the SSH stand-in's {@code main} branch, newest first, or none when it is empty. */
    List<String> upstreamSubjects() {
        Run log = run(List.of("docker", "exec", standins.get("STANDIN_GIT_CONTAINER"), "git", "--git-dir",
                "/srv/git/demo.git", "log", "--format=%s", "main"), 30);
        return log.exitCode() == 0 ? List.of(log.stdout().strip().split("\n")) : List.of();
    }

    /** Returns the address of a stand-in container on the demo network. */
    String address(String containerVariable) {
        return run(List.of("docker", "inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network
                + "\").IPAddress}}", standins.get(containerVariable)), 30).stdout().strip();
    }

    /** Returns the Docker objects (containers, networks) still labelled with one of this demo's bottles. */
    List<String> leftovers() {
        List<String> left = new ArrayList<>();
        for (String identity : List.copyOf(identities)) {
            String filter = "label=dev.claudebottle.identity=" + identity;
            left.addAll(lines(run(List.of("docker", "ps", "-aq", "--filter", filter), 30).stdout()));
            left.addAll(lines(run(List.of("docker", "network", "ls", "-q", "--filter", filter), 30).stdout()));
        }
        return left;
    }

    @Override
    public void close() {
        run(List.of("bash", ROOT.resolve("scripts/standins.sh").toString(), "down",
                folder.resolve("standins").toString(), network), 120);
    }

    private static List<String> lines(String text) {
        return text.isBlank() ? List.of() : List.of(text.strip().split("\n"));
    }

    static Run run(List<String> argv, long timeoutSeconds) {
        return run(argv, Map.of(), timeoutSeconds);
    }

    /** Runs a process with its output in files (no pipe to fill), bounded by {@code timeoutSeconds}. */
    static Run run(List<String> argv, Map<String, String> env, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("it-out", ".txt");
            Path err = Files.createTempFile("it-err", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroy);
                    process.destroy();
                    process.waitFor(20, TimeUnit.SECONDS);
                    throw new IllegalStateException(argv + " did not finish in " + timeoutSeconds + " s; output: "
                            + Files.readString(err));
                }
                return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8), null);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + argv, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
