package dev.claudebottle.launcher.session;

import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.docker.ImageBuilder;
import dev.claudebottle.launcher.docker.ImageRecipe;
import dev.claudebottle.launcher.docker.ImageSources;
import dev.claudebottle.launcher.manifest.Agent;
import dev.claudebottle.launcher.manifest.Bottle;
import dev.claudebottle.launcher.manifest.DlpAction;
import dev.claudebottle.launcher.manifest.EnvValue;
import dev.claudebottle.launcher.manifest.ResolvedAgent;
import dev.claudebottle.launcher.plan.BottlePlan;
import dev.claudebottle.launcher.plan.ContainerRuntime;
import dev.claudebottle.launcher.plan.Identity;
import dev.claudebottle.launcher.plan.Planner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Plans and images for session tests. */
final class TestBottles {

    /**
     * A minimal agent image: Debian with the agent user, no Claude Code and no network tools. Its
     * WORKDIR is owned by root, as Docker creates it and as in the real agent image; the launcher
     * hands it to the agent.
     */
    static final String SLIM_AGENT = "claude-bottle-test/agent-slim:workdir-root";
    /** The real agent image with curl and Claude Code, built by scripts/build-images.sh --agent. */
    static final String REAL_AGENT = "claude-bottle/agent:dev";
    static final String BUNDLE = "claude-bottle/bundle:latest";

    private TestBottles() {
    }

    /** Builds the slim agent image from debian:trixie-slim when missing; it needs no network. */
    static void buildSlimAgent(DockerEngine engine, Path scratch) throws IOException {
        Path dockerfile = scratch.resolve("Dockerfile");
        Files.writeString(dockerfile, """
                FROM debian:trixie-slim
                RUN useradd --create-home --uid 1000 agent
                USER agent
                WORKDIR /home/agent/workspace
                """);
        new ImageBuilder(engine.client(), new PrintWriter(new StringWriter()))
                .ensure(SLIM_AGENT, Optional.of(new ImageRecipe(SLIM_AGENT, Map.of("Dockerfile", dockerfile), null)),
                        Optional.empty());
    }

    /** Builds the bundle image from this checkout when it is missing or out of date. */
    static void buildBundle(DockerEngine engine) {
        ImageSources sources = ImageSources.find(List.of(Path.of("").toAbsolutePath())).orElseThrow();
        new ImageBuilder(engine.client(), new PrintWriter(System.err, true))
                .ensure(BUNDLE, sources.bundle(BUNDLE), Optional.empty());
    }

    /** An image that stays up but never reports ready, to stand in for a broken bundle. */
    static final String NEVER_READY = "claude-bottle-test/never-ready:latest";

    static void buildNeverReady(DockerEngine engine, Path scratch) throws IOException {
        Path dockerfile = scratch.resolve("Dockerfile");
        Files.writeString(dockerfile, """
                FROM debian:trixie-slim
                RUN useradd --uid 1000 bundle
                CMD ["sh", "-c", "echo bundle stand-in starting; echo it never writes the ready file; exec sleep infinity"]
                """);
        new ImageBuilder(engine.client(), new PrintWriter(new StringWriter()))
                .ensure(NEVER_READY, Optional.of(new ImageRecipe(NEVER_READY, Map.of("Dockerfile", dockerfile), null)),
                        Optional.empty());
    }

    static BottlePlan withImages(BottlePlan plan, String agentImage, String bundleImage) {
        return new BottlePlan(plan.identity(), plan.resolved(), plan.allowlist(), plan.skills(), plan.runtime(),
                new BottlePlan.Images(agentImage, bundleImage), plan.stateFolder());
    }

    static BottlePlan withSupervise(BottlePlan plan) {
        Bottle b = plan.bottle();
        Bottle supervised = new Bottle(b.name(), b.file(), b.chain(), b.env(), b.git(), b.routes(), b.allowlist(),
                b.dlpAction(), true, b.description());
        return new BottlePlan(plan.identity(), new ResolvedAgent(plan.agent(), supervised), plan.allowlist(),
                plan.skills(), plan.runtime(), plan.images(), plan.stateFolder());
    }

    static BottlePlan plan(String agentName, String agentImage, Path stateRoot, List<Route> routes,
            Map<String, EnvValue> env, List<String> extraAllowlist) {
        Agent agent = new Agent(agentName, stateRoot.resolve(agentName + ".md"), false, "test", List.of(),
                "You are a test agent.");
        Bottle bottle = new Bottle("test", stateRoot.resolve("test.md"), List.of("test"), env, List.of(), routes,
                extraAllowlist, DlpAction.BLOCK, false, "");
        String identity = Identity.mint(agentName);
        ResolvedAgent resolved = new ResolvedAgent(agent, bottle);
        List<String> allowlist = new java.util.ArrayList<>(Planner.DEFAULT_ALLOWLIST);
        allowlist.addAll(extraAllowlist);
        return new BottlePlan(identity, resolved, allowlist, List.of(),
                new ContainerRuntime(ContainerRuntime.DEFAULT, "test"), new BottlePlan.Images(agentImage, BUNDLE),
                stateRoot.resolve(identity));
    }

    static BottlePlan plan(String agentName, String agentImage, Path stateRoot) {
        return plan(agentName, agentImage, stateRoot, List.of(), Map.of(), List.of());
    }
}
