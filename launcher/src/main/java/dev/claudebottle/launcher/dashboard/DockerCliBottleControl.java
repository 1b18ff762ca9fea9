package dev.claudebottle.launcher.dashboard;

import dev.claudebottle.launcher.docker.BottleLabels;
import dev.claudebottle.launcher.session.SecretsDocument;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@link BottleControl} through the {@code docker} command-line client. It finds a bottle's
 * containers by the labels the launcher puts on them, so it works for bottles of any launcher.
 *
 * <p>It runs the CLI rather than docker-java because {@code attach} needs the user's terminal
 * ({@code docker exec -it}) and the other calls are one-shot; each call is bounded by a timeout.
 * Stopping can be handed to the launcher's own teardown instead of {@code docker stop}.
 */
public final class DockerCliBottleControl implements BottleControl {

    static final String IDENTITY_LABEL = BottleLabels.IDENTITY;
    static final String ROLE_LABEL = BottleLabels.ROLE;
    static final String AGENT_LABEL = BottleLabels.AGENT;
    /** The agent image's user and working folder, where {@code claude} runs in a bottle. */
    static final String AGENT_USER = "agent";
    static final String AGENT_WORKSPACE = "/home/agent/workspace";

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private final String docker;
    private final Consumer<String> stop;

    /**
     * @param docker the client to run, {@code docker} on the PATH in production
     * @param stop stops a bottle by identity, or null to stop its containers with {@code docker stop}
     */
    public DockerCliBottleControl(String docker, Consumer<String> stop) {
        this.docker = docker;
        this.stop = stop;
    }

    /** Returns a control that runs {@code docker} from the PATH and stops bottles with {@code docker stop}. */
    public static DockerCliBottleControl onPath() {
        return new DockerCliBottleControl("docker", null);
    }

    @Override
    public List<RunningBottle> running() {
        String output = call("list the running bottles", List.of("ps", "--filter", "label=" + IDENTITY_LABEL,
                "--format", "{{.Label \"" + IDENTITY_LABEL + "\"}}\t{{.Label \"" + AGENT_LABEL + "\"}}\t{{.Label \""
                        + ROLE_LABEL + "\"}}\t{{.Status}}\t{{.CreatedAt}}"));
        Map<String, List<String[]>> byIdentity = new LinkedHashMap<>();
        for (String line : output.lines().sorted((a, b) -> column(a, 4).compareTo(column(b, 4))).toList()) {
            String[] columns = line.split("\t", -1);
            if (columns.length >= 4 && !columns[0].isEmpty()) {
                byIdentity.computeIfAbsent(columns[0], key -> new ArrayList<>()).add(columns);
            }
        }
        List<RunningBottle> bottles = new ArrayList<>();
        for (Map.Entry<String, List<String[]>> bottle : byIdentity.entrySet()) {
            List<String> parts = new ArrayList<>();
            for (String[] container : bottle.getValue()) {
                parts.add(container[2] + " " + container[3]);
            }
            bottles.add(new RunningBottle(bottle.getKey(), bottle.getValue().get(0)[1], String.join(", ", parts)));
        }
        return bottles;
    }

    private static String column(String line, int index) {
        String[] columns = line.split("\t", -1);
        return columns.length > index ? columns[index] : "";
    }

    @Override
    public boolean bundleRunning(String identity) {
        return !container(identity, BottleLabels.ROLE_BUNDLE).isEmpty();
    }

    @Override
    public void reloadBundle(String identity) {
        String container = container(identity, BottleLabels.ROLE_BUNDLE);
        if (container.isEmpty()) {
            throw new DashboardException("cannot reload the bundle of bottle " + identity,
                    "its bundle container is not running", "resume the bottle with `claude-bottle resume "
                    + identity + "`, which applies the change at start");
        }
        call("send SIGHUP to the bundle of bottle " + identity, List.of("kill", "--signal", "HUP", container));
    }

    @Override
    public void addSecrets(String identity, byte[] document) {
        String container = container(identity, BottleLabels.ROLE_BUNDLE);
        if (container.isEmpty()) {
            throw new DashboardException("cannot hand a token to the bundle of bottle " + identity,
                    "its bundle container is not running", "resume the bottle with `claude-bottle resume "
                    + identity + "`, which hands over every route's token at start");
        }
        List<String> arguments = new ArrayList<>(List.of("exec", "-i", container));
        arguments.addAll(SecretsDocument.receiveCommand(true));
        call("hand a token to the bundle of bottle " + identity, arguments, document);
    }

    @Override
    public void stop(String identity) {
        if (stop != null) {
            stop.accept(identity);
            return;
        }
        String ids = call("find the containers of bottle " + identity,
                List.of("ps", "-q", "--filter", "label=" + IDENTITY_LABEL + "=" + identity));
        List<String> command = new ArrayList<>(List.of("stop", "--time", "5"));
        ids.lines().filter(line -> !line.isBlank()).forEach(command::add);
        if (command.size() == 3) {
            throw new DashboardException("cannot stop bottle " + identity, "it has no running container",
                    "refresh the list of running bottles");
        }
        call("stop bottle " + identity, command);
    }

    @Override
    public int attach(String identity) {
        String container = container(identity, BottleLabels.ROLE_AGENT);
        if (container.isEmpty()) {
            throw new DashboardException("cannot attach to bottle " + identity, "its agent container is not running",
                    "resume the bottle with `claude-bottle resume " + identity + "`");
        }
        ProcessBuilder builder = new ProcessBuilder(docker, "exec", "-it", "-u", AGENT_USER, "-w", AGENT_WORKSPACE,
                container, "claude", "--continue").inheritIO();
        try {
            return builder.start().waitFor();
        } catch (IOException e) {
            throw new DashboardException("cannot attach to bottle " + identity, "cannot run " + docker + ": "
                    + e.getMessage(), "install the docker client or put it on the PATH", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** Returns the id of the bottle's running container with {@code role}, or "" when none runs. */
    private String container(String identity, String role) {
        String ids = call("find the " + role + " container of bottle " + identity, List.of("ps", "-q",
                "--filter", "label=" + IDENTITY_LABEL + "=" + identity, "--filter", "label=" + ROLE_LABEL + "=" + role));
        return ids.lines().filter(line -> !line.isBlank()).findFirst().orElse("").strip();
    }

    /** Runs the client with {@code arguments} and returns its standard output, or throws with its error. */
    private String call(String what, List<String> arguments) {
        return call(what, arguments, new byte[0]);
    }

    /**
     * Runs the client with {@code arguments} and {@code input} on its standard input, and returns its
     * standard output, or throws with its error.
     */
    private String call(String what, List<String> arguments, byte[] input) {
        List<String> command = new ArrayList<>();
        command.add(docker);
        command.addAll(arguments);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new DashboardException("cannot " + what, "cannot run " + docker + ": " + e.getMessage(),
                    "install the docker client or put it on the PATH", e);
        }
        try {
            CompletableFuture<String> stdout = drain(process.getInputStream());
            CompletableFuture<String> stderr = drain(process.getErrorStream());
            try (var stdin = process.getOutputStream()) {
                stdin.write(input);
            }
            if (!process.waitFor(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new DashboardException("cannot " + what, docker + " timed out after "
                        + CALL_TIMEOUT.toSeconds() + " s", "check that the Docker engine is running");
            }
            if (process.exitValue() != 0) {
                throw new DashboardException("cannot " + what, docker + " exited with " + process.exitValue()
                        + ": " + stderr.join().strip(), "check the Docker engine with `docker ps`");
            }
            return stdout.join();
        } catch (IOException e) {
            throw new DashboardException("cannot " + what, String.valueOf(e.getMessage()),
                    "check the Docker engine with `docker ps`", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DashboardException("cannot " + what, "interrupted", "try again");
        } finally {
            process.destroyForcibly();
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                stream.transferTo(bytes);
                return bytes.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
