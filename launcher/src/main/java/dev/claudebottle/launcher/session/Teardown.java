package dev.claudebottle.launcher.session;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.docker.Archives;
import dev.claudebottle.launcher.docker.BottleObjects;
import dev.claudebottle.launcher.docker.BottleRef;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes what a session created, in this order: snapshot of the agent's {@code ~/.claude},
 * agent, bundle, networks, then the state folder unless it is kept for {@code resume}.
 *
 * <p>{@link #run} runs once: the {@code finally} block and the shutdown hook may both call it,
 * and the second call waits for the first to finish. Each step tolerates objects already gone and
 * a failing step does not stop the ones after it.
 */
final class Teardown {

    /** The exit code reported when the session was interrupted (128 + SIGTERM's number 15). */
    static final int INTERRUPTED_EXIT_CODE = 143;

    private final DockerEngine engine;
    private final BottleRef ref;
    private final StateDirectory state;
    private final PrintWriter messages;

    private String agentId;
    private String bundleId;
    private final List<String> helpers = new ArrayList<>();
    private final List<String> networks = new ArrayList<>();
    private boolean startFailed;
    private boolean keepStateOnFailure;
    private boolean done;

    Teardown(DockerEngine engine, BottleRef ref, StateDirectory state, PrintWriter messages) {
        this.engine = engine;
        this.ref = ref;
        this.state = state;
        this.messages = messages;
    }

    // A SIGTERM during start runs teardown while the start goes on, so an object created after
    // teardown ran is removed at once.

    synchronized void agentCreated(String id) {
        agentId = id;
        removeIfLate(() -> new BottleObjects(engine.client()).removeContainer(id));
    }

    synchronized void bundleCreated(String id) {
        bundleId = id;
        removeIfLate(() -> new BottleObjects(engine.client()).removeContainer(id));
    }

    synchronized void helperCreated(String id) {
        helpers.add(id);
        removeIfLate(() -> new BottleObjects(engine.client()).removeContainer(id));
    }

    synchronized void networkCreated(String id) {
        networks.add(id);
        removeIfLate(() -> new BottleObjects(engine.client()).removeNetwork(id));
    }

    private void removeIfLate(Runnable removal) {
        if (done) {
            attempt("remove an object created after teardown", removal);
            throw new LauncherException("cannot start bottle " + ref.identity(), "the launcher is stopping",
                    "start the agent again");
        }
    }

    /** Removes a finished helper container at once. */
    synchronized void removeHelper(String id) {
        new BottleObjects(engine.client()).removeContainer(id);
        helpers.remove(id);
    }

    /** Records that the start failed: the state folder goes too, unless it belongs to a resumed bottle. */
    synchronized void failedStart(boolean resume) {
        startFailed = true;
        keepStateOnFailure = resume;
    }

    /** Tears everything down once; {@code exitCode} decides whether the state folder stays. */
    synchronized void run(int exitCode) {
        if (done) {
            return;
        }
        done = true;
        BottleObjects objects = new BottleObjects(engine.client());
        // The snapshot serves only resume, and only a non-zero exit keeps the state to resume from.
        boolean snapshotTaken = agentId != null && !startFailed && exitCode != 0 && snapshot();
        attempt("remove the agent container", () -> {
            if (agentId != null) {
                objects.removeContainer(agentId);
            }
        });
        for (String helper : List.copyOf(helpers)) {
            attempt("remove a helper container", () -> objects.removeContainer(helper));
        }
        attempt("remove the bundle container", () -> {
            if (bundleId != null) {
                objects.stopAndRemoveContainer(bundleId, BottleSession.BUNDLE_STOP_SECONDS);
            }
        });
        for (String network : networks) {
            attempt("remove the network " + network, () -> objects.removeNetwork(network));
        }
        settleState(exitCode, snapshotTaken, objects);
        messages.flush();
    }

    private void settleState(int exitCode, boolean snapshotTaken, BottleObjects objects) {
        if (startFailed) {
            if (!keepStateOnFailure) {
                attempt("remove the state folder", state::delete);
            }
            return;
        }
        if (exitCode == 0) {
            attempt("remove the state folder", state::delete);
            // The bottle's own agent image (approved capabilities) serves only resume, which is over now.
            attempt("remove the bottle's agent image",
                    () -> objects.removeImage(BottlePlan.Images.bottleAgent(ref.identity())));
            return;
        }
        boolean stopped = state.preservedReason().filter(Bottles.STOPPED::equals).isPresent();
        attempt("mark the state folder for resume", () -> {
            if (!stopped) {
                state.markPreserved("exit code " + exitCode);
            }
            state.readRecord().ifPresent(record -> state.writeRecord(record.withExitCode(exitCode)));
        });
        messages.println("claude-bottle: " + (stopped ? "the bottle was stopped with `claude-bottle stop`"
                : "the session ended with exit code " + exitCode) + "; its state is kept in "
                + state.folder() + (snapshotTaken ? "" : " (without a snapshot of ~/.claude)"));
        messages.println("claude-bottle: continue it with: claude-bottle resume " + ref.identity());
    }

    private boolean snapshot() {
        try {
            return new Archives(engine.client()).download(agentId, AgentUser.CLAUDE_HOME, state.claudeSnapshot());
        } catch (IOException | RuntimeException e) {
            messages.println("claude-bottle: warning: cannot snapshot ~/.claude of " + ref.agentContainer() + ": "
                    + DockerEngine.describe(e));
            return false;
        }
    }

    private void attempt(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            messages.println("claude-bottle: warning: teardown could not " + what + ": " + DockerEngine.describe(e)
                    + "; `claude-bottle cleanup` removes what is left");
        }
    }
}
