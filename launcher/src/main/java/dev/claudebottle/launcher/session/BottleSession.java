package dev.claudebottle.launcher.session;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.docker.BottleLabels;
import dev.claudebottle.launcher.docker.BottleRef;
import dev.claudebottle.launcher.docker.ContainerExec;
import dev.claudebottle.launcher.docker.ContainerLogs;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.docker.ExecResult;
import dev.claudebottle.launcher.docker.ImageBuilder;
import dev.claudebottle.launcher.docker.ImageRecipe;
import dev.claudebottle.launcher.docker.ImageSources;
import dev.claudebottle.launcher.docker.TerminalAttach;
import dev.claudebottle.launcher.plan.BottlePlan;
import dev.claudebottle.launcher.plan.ContainerRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one bottle from plan to teardown: images, networks, the bundle with its secrets, the
 * agent with its provisioning, the command or interactive Claude Code, then teardown.
 *
 * <p>Teardown always runs, from a {@code finally} block and from a shutdown hook (Ctrl-C,
 * SIGTERM), and each of its steps is idempotent. A failure while starting removes what was
 * created and reports the step with the engine's own message. An exit code other than 0 keeps
 * the state folder (the snapshot of {@code ~/.claude}) for {@code resume}.
 */
public final class BottleSession {

    /** Seconds the bundle gets after SIGTERM; bundle-init drains open connections for up to 8 s, none remain here. */
    static final int BUNDLE_STOP_SECONDS = 2;
    private static final int LOG_LINES_ON_FAILURE = 20;

    private final DockerEngine engine;
    private final BottlePlan plan;
    private final SessionOptions options;
    private final Map<String, String> hostEnvironment;
    private final Function<String, String> prompter;
    private final PrintWriter messages;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private final BottleRef ref;
    private final StateDirectory state;
    private final Teardown teardown;

    private final SessionTimings.Phases phases = new SessionTimings.Phases();
    private Instant commandStarted;
    private Instant commandEnded;

    /**
     * @param hostEnvironment where token values and {@code ${VAR}} values come from
     * @param prompter asks the user for {@code "?"} env values
     * @param messages progress and errors for the user (standard error)
     * @param stdout where the command's standard output goes
     * @param stderr where the command's standard error goes
     */
    public BottleSession(DockerEngine engine, BottlePlan plan, SessionOptions options,
            Map<String, String> hostEnvironment, Function<String, String> prompter, PrintWriter messages,
            OutputStream stdout, OutputStream stderr) {
        this.engine = engine;
        this.plan = plan;
        this.options = options;
        this.hostEnvironment = Map.copyOf(hostEnvironment);
        this.prompter = prompter;
        this.messages = messages;
        this.stdout = stdout;
        this.stderr = stderr;
        this.ref = BottleRef.owned(plan.identity(), newSessionId(),
                plan.agent().name(), Instant.now());
        this.state = new StateDirectory(plan.stateFolder());
        this.teardown = new Teardown(engine, ref, state, messages, options.resume());
    }

    private static String newSessionId() {
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    public BottleRef ref() {
        return ref;
    }

    /**
     * Runs the session and returns the command's exit code.
     *
     * @throws LauncherException when the bottle cannot be started; everything created is removed
     *     first
     */
    public int run() {
        Instant started = Instant.now();
        Thread hook = new Thread(() -> teardown.runInterrupted(), "claude-bottle-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        int exitCode = Teardown.INTERRUPTED_EXIT_CODE;
        try {
            Running running = start();
            exitCode = runCommand(running);
            return exitCode;
        } catch (LauncherException e) {
            teardown.failedStart();
            throw e;
        } catch (RuntimeException e) {
            teardown.failedStart();
            throw new LauncherException("cannot run bottle " + ref.identity(), DockerEngine.describe(e),
                    "run again with --debug to see the stack trace", e);
        } finally {
            teardown.run(exitCode);
            removeHook(hook);
            if (commandStarted != null && commandEnded != null) {
                timings = new SessionTimings(phases.durations(), Duration.between(started, commandStarted),
                        Duration.between(commandStarted, commandEnded),
                        Duration.between(commandEnded, Instant.now()));
            }
        }
    }

    private SessionTimings timings;

    /** Returns the phases' durations of the last {@link #run}, when its command ran. */
    public Optional<SessionTimings> timings() {
        return Optional.ofNullable(timings);
    }

    /** Checks that every {@code --bundle-network} exists before anything is created. */
    private void requireExtraNetworks() {
        for (String network : options.extraNetworks()) {
            try {
                engine.client().inspectNetworkCmd().withNetworkId(network).exec();
            } catch (NotFoundException e) {
                throw new LauncherException("cannot join the bundle to --bundle-network " + network,
                        "the Docker engine has no network of that name", "create it with `docker network create "
                        + network + "`, or check its name with `docker network ls`");
            }
        }
    }

    /** The containers of a started bottle. */
    private record Running(String agentId, String bundleId) {
    }

    private Running start() {
        // Questions come first, so the user is never asked while containers wait.
        AgentEnvironment environment = AgentEnvironment.of(plan, hostEnvironment, prompter);
        requireExtraNetworks();
        ensureImages();
        phases.mark("images");
        boolean existed = state.create();
        if (existed && !options.resume()) {
            throw new LauncherException("cannot start bottle " + ref.identity(),
                    "its state folder " + state.folder() + " already exists", "resume it with `claude-bottle resume "
                            + ref.identity() + "`, or remove it with `claude-bottle cleanup`");
        }
        state.clearPreserved();
        state.writeRecord(record());
        int bundleUid = bundleUid();
        Path config = writeBundleConfig();

        createNetworks();
        phases.mark("networks");
        String bundleId = startBundle(bundleUid, config);
        String bundleIp = internalAddress(bundleId);
        phases.mark("bundle start");

        // The agent only sleeps until provisioning, so it starts while the bundle gets ready.
        CompletableFuture<String> agent = CompletableFuture.supplyAsync(() -> {
            String id = startAgent(environment, bundleIp);
            dropDefaultRoute(id);
            return id;
        });
        byte[] ca;
        try {
            handOverSecrets(bundleId);
            ca = awaitReadyAndReadCa(bundleId);
        } catch (RuntimeException e) {
            // Let the agent's creation finish, so that teardown knows every container to remove.
            agent.handle((id, failure) -> id).join();
            throw e;
        }
        phases.mark("bundle ready");
        String agentId = join(agent);
        phases.mark("agent start");
        Path saved = state.claudeSnapshot().resolve(".claude");
        Optional<Path> snapshot = options.resume() && Files.isDirectory(saved) ? Optional.of(saved) : Optional.empty();
        new Provisioner(engine, agentId, this::info).provision(plan, environment, ca, options.workingTree(), snapshot);
        phases.mark("provisioning");
        this.environment = environment;
        return new Running(agentId, bundleId);
    }

    private AgentEnvironment environment;

    /** Returns the agent's id, rethrowing a failure of its start as it was thrown. */
    private static String join(CompletableFuture<String> agent) {
        try {
            return agent.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private SessionRecord record() {
        Optional<SessionRecord> previous = options.resume() ? state.readRecord() : Optional.empty();
        String started = previous.map(SessionRecord::started).orElse(ref.started().toString());
        return new SessionRecord(ref.identity(), ref.agent(),
                options.workingTree().map(Path::toString).orElse(null), started, null, options.extraNetworks());
    }

    /**
     * Builds the images from the checkout when they are the project's own ({@code claude-bottle/agent}
     * and {@code claude-bottle/bundle}, any tag); other images are used as they are.
     */
    private void ensureImages() {
        Optional<ImageSources> sources = ImageSources.find(options.imageSearch());
        ImageBuilder builder = new ImageBuilder(engine.client(), messages);
        String agent = plan.images().agent();
        String bundle = plan.images().bundle();
        if (agent.equals(BottlePlan.Images.bottleAgent(plan.identity()))) {
            ensureBottleAgent(builder, sources);
        } else {
            builder.ensure(agent, sources.filter(s -> ownImage(agent, BottlePlan.Images.DEFAULT.agent()))
                    .map(s -> s.agent(agent)), options.buildCa());
        }
        builder.ensure(bundle, sources.filter(s -> ownImage(bundle, BottlePlan.Images.DEFAULT.bundle()))
                .flatMap(s -> s.bundle(bundle)), options.buildCa());
        if (options.buildCa().isPresent() && !builder.builtAny()) {
            messages.println("claude-bottle: --build-ca was not used: every image was up to date");
        }
    }

    /**
     * Builds the bottle's own agent image from {@code agent.Dockerfile} in its state folder (written
     * when the operator approved a capability), after the default agent image it usually starts from.
     * The build context is that one file.
     */
    private void ensureBottleAgent(ImageBuilder builder, Optional<ImageSources> sources) {
        Path dockerfile = plan.stateFolder().resolve(StateDirectory.AGENT_DOCKERFILE);
        if (!Files.isRegularFile(dockerfile)) {
            throw new LauncherException("cannot build the agent image of bottle " + plan.identity(),
                    dockerfile + " is missing", "approve the capability again in `claude-bottle dashboard`, or "
                    + "remove agent_dockerfile from the bottle's overlay.json");
        }
        String base = BottlePlan.Images.DEFAULT.agent();
        String text;
        try {
            text = Files.readString(dockerfile);
        } catch (IOException e) {
            throw new LauncherException("cannot read " + dockerfile, String.valueOf(e.getMessage()),
                    "check the permissions of the bottle's state folder");
        }
        if (text.contains(base)) {
            builder.ensure(base, sources.map(s -> s.agent(base)), options.buildCa());
        }
        String agent = plan.images().agent();
        builder.ensure(agent, Optional.of(new ImageRecipe(agent, Map.of("Dockerfile", dockerfile), null)),
                options.buildCa());
    }

    private static boolean ownImage(String image, String repository) {
        return image.equals(repository) || image.startsWith(repository + ":");
    }

    /** Returns the launcher's own uid, or 1000 (the image's bundle user) when the launcher runs as root. */
    private int bundleUid() {
        int owner = state.ownerUid();
        if (owner == 0) {
            state.shareWithBundle(AgentUser.UID);
            return AgentUser.UID;
        }
        return owner;
    }

    private Path writeBundleConfig() {
        Path file = state.folder().resolve("bundle.yaml");
        UpstreamCaFiles.copy(plan.bottle(), state.bundleMount());
        try {
            Files.writeString(file, BundleConfigRenderer.render(plan), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private void createNetworks() {
        DockerClient client = engine.client();
        String internal = creation("create the network " + ref.internalNetwork(), () -> client.createNetworkCmd()
                .withName(ref.internalNetwork())
                .withCheckDuplicate(true)
                .withDriver("bridge")
                .withInternal(true)
                // Without an address on the host's side of the bridge, the host itself is not
                // reachable from the network either.
                .withOptions(Map.of("com.docker.network.bridge.inhibit_ipv4", "true"))
                .withLabels(BottleLabels.of(ref, BottleLabels.ROLE_NETWORK))
                .exec().getId());
        teardown.networkCreated(internal);
        String egress = creation("create the network " + ref.egressNetwork(), () -> client.createNetworkCmd()
                .withName(ref.egressNetwork())
                .withCheckDuplicate(true)
                .withDriver("bridge")
                .withLabels(BottleLabels.of(ref, BottleLabels.ROLE_NETWORK))
                .exec().getId());
        teardown.networkCreated(egress);
    }

    private String startBundle(int uid, Path config) {
        DockerClient client = engine.client();
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(ref.internalNetwork())
                .withReadonlyRootfs(true)
                .withTmpFs(Map.of(
                        BundleConfigRenderer.RUN_DIR, "rw,nosuid,nodev,noexec,size=16m,mode=0700,uid=" + uid + ",gid=" + uid,
                        "/tmp", "rw,nosuid,nodev,size=256m,mode=1777",
                        "/home/bundle", "rw,nosuid,nodev,size=64m,mode=0700,uid=" + uid + ",gid=" + uid))
                .withBinds(com.github.dockerjava.api.model.Bind.parse(config + ":" + BundleConfigRenderer.CONFIG_PATH + ":ro"),
                        com.github.dockerjava.api.model.Bind.parse(state.bundleMount() + ":" + BundleConfigRenderer.STATE_DIR + ":rw"))
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges:true"))
                .withSysctls(Map.of("net.ipv4.ip_unprivileged_port_start", "0"));
        applyRuntime(host);
        CreateContainerCmd create = client.createContainerCmd(plan.images().bundle())
                .withName(ref.bundleContainer())
                .withHostName("bundle")
                .withUser(uid + ":" + uid)
                .withLabels(BottleLabels.of(ref, BottleLabels.ROLE_BUNDLE))
                .withAliases(BundleConfigRenderer.BOTTLE_NAMES)
                .withHostConfig(host);
        String id = creation("create the bundle container " + ref.bundleContainer(), () -> create.exec().getId());
        teardown.bundleCreated(id);
        List<String> networks = new ArrayList<>(List.of(ref.egressNetwork()));
        networks.addAll(options.extraNetworks());
        for (String network : networks) {
            engineStep("connect the bundle to the network " + network,
                    () -> client.connectToNetworkCmd().withNetworkId(network).withContainerId(id).exec());
        }
        engineStep("start the bundle container", () -> client.startContainerCmd(id).exec());
        return id;
    }

    private void applyRuntime(HostConfig host) {
        if (ContainerRuntime.GVISOR.equals(plan.runtime().name())) {
            host.withRuntime(ContainerRuntime.GVISOR);
        }
    }

    private void handOverSecrets(String bundleId) {
        if (!BundleConfigRenderer.needsSecrets(plan)) {
            return;
        }
        byte[] document = SecretsDocument.build(plan, hostEnvironment);
        ExecResult result;
        try {
            result = new ContainerExec(engine.client()).run(bundleId, "", SecretsDocument.receiveCommand(false),
                    document, Duration.ofSeconds(30));
        } catch (TimeoutException | InterruptedException | RuntimeException e) {
            throw bundleFailure(bundleId, "cannot hand the secrets to the bundle",
                    e instanceof RuntimeException runtime ? DockerEngine.describe(runtime) : e.getMessage());
        } finally {
            java.util.Arrays.fill(document, (byte) 0);
        }
        if (!result.succeeded()) {
            throw bundleFailure(bundleId, "cannot hand the secrets to the bundle",
                    "receive-secrets exited with " + result.exitCode() + ": " + result.tail(3));
        }
    }

    /**
     * Waits for the bundle's ready file, then returns the CA certificate it published. One script
     * does both, because each exec costs a round trip through the engine.
     */
    private byte[] awaitReadyAndReadCa(String bundleId) {
        String script = """
                while [ ! -f %1$s/ready ]; do
                  if [ -f %1$s/unhealthy ]; then cat %1$s/unhealthy; exit 3; fi
                  sleep 0.05
                done
                cat %2$s 2>/dev/null || exit 4
                """.formatted(BundleConfigRenderer.RUN_DIR, BundleConfigRenderer.CA_PATH);
        ExecResult result;
        try {
            result = new ContainerExec(engine.client()).run(bundleId, "", List.of("sh", "-s"),
                    script.getBytes(StandardCharsets.UTF_8), options.readyTimeout());
        } catch (TimeoutException e) {
            throw bundleFailure(bundleId, "the bundle did not become ready",
                    "it reported no readiness within " + options.readyTimeout().toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw bundleFailure(bundleId, "the bundle did not become ready", "interrupted while waiting");
        } catch (DockerException e) {
            throw bundleFailure(bundleId, "the bundle did not become ready", containerState(bundleId));
        }
        byte[] ca = result.stdout().getBytes(StandardCharsets.US_ASCII);
        if (result.succeeded() && CaCertificate.parse(ca) != null) {
            return ca;
        }
        if (result.exitCode() == 3) {
            throw bundleFailure(bundleId, "the bundle did not become ready", "it reported unhealthy: "
                    + result.stdout().strip());
        }
        if (result.exitCode() == 4 || result.succeeded()) {
            throw bundleFailure(bundleId, "the bundle published no CA certificate",
                    BundleConfigRenderer.CA_PATH + " is missing or not a certificate");
        }
        throw bundleFailure(bundleId, "the bundle did not become ready", containerState(bundleId));
    }

    private String internalAddress(String bundleId) {
        InspectContainerResponse inspect = engine.client().inspectContainerCmd(bundleId).exec();
        ContainerNetwork network = inspect.getNetworkSettings().getNetworks().get(ref.internalNetwork());
        if (network == null || network.getIpAddress() == null || network.getIpAddress().isEmpty()) {
            throw bundleFailure(bundleId, "the bundle has no address on " + ref.internalNetwork(),
                    "the engine reported none");
        }
        return network.getIpAddress();
    }

    private String startAgent(AgentEnvironment environment, String bundleIp) {
        DockerClient client = engine.client();
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(ref.internalNetwork())
                .withDns(bundleIp)
                .withInit(true)
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges:true"));
        applyRuntime(host);
        CreateContainerCmd create = client.createContainerCmd(plan.images().agent())
                .withName(ref.agentContainer())
                .withHostName(ref.identity())
                .withUser(AgentUser.NAME)
                .withWorkingDir(AgentUser.WORKSPACE)
                .withEnv(environment.containerList())
                .withEntrypoint("sleep")
                .withCmd("infinity")
                .withLabels(BottleLabels.of(ref, BottleLabels.ROLE_AGENT))
                .withHostConfig(host);
        String id = creation("create the agent container " + ref.agentContainer(), () -> create.exec().getId());
        teardown.agentCreated(id);
        engineStep("start the agent container", () -> client.startContainerCmd(id).exec());
        return id;
    }

    /**
     * Removes the agent's default route. Docker 20.10 gives containers on an internal network a
     * default route to a gateway that forwards nothing, and deleting it makes "no way out" visible
     * in the routing table too. A short-lived helper (the bundle image, which has {@code ip}) joins
     * the agent's network namespace with NET_ADMIN. The agent itself never gets that capability.
     */
    private void dropDefaultRoute(String agentId) {
        DockerClient client = engine.client();
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("container:" + agentId)
                .withCapDrop(Capability.ALL)
                .withCapAdd(Capability.NET_ADMIN)
                .withAutoRemove(false);
        String id = creation("create the route helper", () -> client.createContainerCmd(plan.images().bundle())
                .withName(ref.identity() + "-route")
                .withUser("0")
                .withEntrypoint("ip")
                .withCmd("route", "del", "default")
                .withLabels(BottleLabels.of(ref, BottleLabels.ROLE_HELPER))
                .withHostConfig(host)
                .exec().getId());
        teardown.helperCreated(id);
        try {
            client.startContainerCmd(id).exec();
            Integer code = client.waitContainerCmd(id).start().awaitStatusCode(30, java.util.concurrent.TimeUnit.SECONDS);
            if (code == null || code != 0) {
                List<String> output = new ContainerLogs(client).tail(id, 5);
                // "No such process" means there was no default route to delete.
                if (output.stream().noneMatch(line -> line.contains("No such process"))) {
                    throw new LauncherException("cannot remove the agent's default route",
                            "ip route del default exited with " + code + ": " + String.join(" ", output),
                            "check that the bundle image has iproute2 (rebuild it from docker/bundle)");
                }
            }
        } catch (DockerException e) {
            throw new LauncherException("cannot remove the agent's default route", DockerEngine.describe(e),
                    "check the Docker engine's log");
        } finally {
            teardown.removeHelper(id);
        }
    }

    private int runCommand(Running running) {
        List<String> command = mainCommand();
        messages.flush();
        commandStarted = Instant.now();
        teardown.commandStarted();
        try {
            if (options.tty()) {
                return TerminalAttach.run(engine.client(), running.agentId(), AgentUser.NAME, command,
                        AgentUser.WORKSPACE, environment.promptedList());
            }
            return new ContainerExec(engine.client()).stream(running.agentId(), AgentUser.NAME, command,
                    AgentUser.WORKSPACE, environment.promptedList(), options.commandInput().orElse(null), stdout,
                    stderr);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Teardown.INTERRUPTED_EXIT_CODE;
        } finally {
            commandEnded = Instant.now();
        }
    }

    private List<String> mainCommand() {
        if (!options.command().isEmpty()) {
            return options.command();
        }
        List<String> claude = new ArrayList<>(List.of("claude", "--append-system-prompt-file", AgentUser.SYSTEM_PROMPT));
        if (options.resume()) {
            claude.add("--continue");
        }
        return claude;
    }

    /** Describes the bundle's state and log for a failure, then returns the exception to throw. */
    private LauncherException bundleFailure(String bundleId, String what, String why) {
        List<String> logs = new ContainerLogs(engine.client()).tail(bundleId, LOG_LINES_ON_FAILURE);
        if (!logs.isEmpty()) {
            messages.println("claude-bottle: the last " + logs.size() + " lines of the bundle's log:");
            for (String line : logs) {
                messages.println("  " + line);
            }
            messages.flush();
        }
        return new LauncherException(what, why, "read the bundle's log above; check the bottle manifest and the "
                + "bundle image (scripts/build-images.sh rebuilds it)");
    }

    /** Says why a container is not running: its exit code, OOM kill or error, in the engine's words. */
    private String containerState(String containerId) {
        try {
            InspectContainerResponse.ContainerState status = engine.client().inspectContainerCmd(containerId).exec()
                    .getState();
            if (Boolean.TRUE.equals(status.getRunning())) {
                return "the container runs but the readiness check failed";
            }
            StringBuilder text = new StringBuilder("the container exited with code " + status.getExitCodeLong());
            if (Boolean.TRUE.equals(status.getOOMKilled())) {
                text.append(", killed for lack of memory");
            }
            if (status.getError() != null && !status.getError().isEmpty()) {
                text.append(", engine error: ").append(status.getError());
            }
            return text.toString();
        } catch (DockerException e) {
            return DockerEngine.describe(e);
        }
    }

    private <T> T engineStep(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (DockerException e) {
            throw new LauncherException("cannot " + what, DockerEngine.describe(e), fixFor(e));
        }
    }

    /**
     * Runs an engine call that creates an object. Teardown hears of it first, so an interruption
     * waits for it. The caller records the returned id with teardown at once.
     */
    private String creation(String step, Supplier<String> call) {
        teardown.creating();
        try {
            return engineStep(step, call);
        } catch (RuntimeException e) {
            teardown.creationFailed();
            throw e;
        }
    }

    private void engineStep(String what, Runnable call) {
        engineStep(what, () -> {
            call.run();
            return null;
        });
    }

    private String fixFor(DockerException e) {
        if (e.getHttpStatus() == 409) {
            return "a bottle with this identity exists already; remove leftovers with `claude-bottle cleanup`";
        }
        if (e.getHttpStatus() == 404) {
            return "check that the image and networks exist (`docker images`, `docker network ls`)";
        }
        return "check the Docker engine's log";
    }

    private void info(String line) {
        messages.println("claude-bottle: " + line);
        messages.flush();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down; the hook is running or ran, and teardown is idempotent.
        }
    }
}
