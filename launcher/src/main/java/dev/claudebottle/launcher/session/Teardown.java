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
    /** Whether this session resumes a kept state folder, which a failed or interrupted start keeps. */
    private final boolean resume;
    private boolean startFailed;
    private boolean commandStarted;
    private boolean interrupted;
    private boolean done;
    /** Creation calls sent to the engine whose object is not recorded yet. */
    private int creating;

    /** How long an interrupted teardown waits for creation calls already sent to the engine. */
    static final long IN_FLIGHT_WAIT_MILLIS = 20_000;

    Teardown(DockerEngine engine, BottleRef ref, StateDirectory state, PrintWriter messages, boolean resume) {
        this.engine = engine;
        this.ref = ref;
        this.state = state;
        this.messages = messages;
        this.resume = resume;
    }

    // A SIGINT or SIGTERM during start runs teardown on the shutdown hook's thread while the start
    // goes on. An object created after teardown ran is removed at once, and the hook waits for
    // creation calls already sent to the engine, because the JVM exits when the hook returns.

    /**
     * Records that a creation call is about to go to the engine; the matching {@code ...Created}
     * call, or {@link #creationFailed}, ends it.
     *
     * @throws LauncherException when teardown has run already, so nothing more is created
     */
    synchronized void creating() {
        if (done) {
            throw stopping();
        }
        creating++;
    }

    /** Ends a creation call that created nothing. */
    synchronized void creationFailed() {
        created();
    }

    private void created() {
        creating = Math.max(0, creating - 1);
        notifyAll();
    }

    synchronized void agentCreated(String id) {
        agentId = id;
        created();
        removeIfLate(() -> new BottleObjects(engine.client()).removeContainer(id));
    }

    synchronized void bundleCreated(String id) {
        bundleId = id;
        created();
        removeIfLate(() -> new BottleObjects(engine.client()).removeContainer(id));
    }

    synchronized void helperCreated(String id) {
        helpers.add(id);
        created();
        removeIfLate(() -> new BottleObjects(engine.client()).removeContainer(id));
    }

    synchronized void networkCreated(String id) {
        networks.add(id);
        created();
        removeIfLate(() -> new BottleObjects(engine.client()).removeNetwork(id));
    }

    /** Records that the command runs, so that the state folder is kept for resume on an interruption. */
    synchronized void commandStarted() {
        commandStarted = true;
    }

    /**
     * Tears down from the shutdown hook (SIGINT, SIGTERM), then waits up to
     * {@link #IN_FLIGHT_WAIT_MILLIS} for creation calls still in flight. The start thread removes
     * what they create, so nothing stays behind when the JVM exits.
     */
    synchronized void runInterrupted() {
        interrupted = true;
        run(INTERRUPTED_EXIT_CODE);
        long deadline = System.nanoTime() + IN_FLIGHT_WAIT_MILLIS * 1_000_000;
        while (creating > 0 && System.nanoTime() < deadline) {
            try {
                wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void removeIfLate(Runnable removal) {
        if (done) {
            attempt("remove an object created after teardown", removal);
            throw stopping();
        }
    }

    private LauncherException stopping() {
        return new LauncherException("cannot start bottle " + ref.identity(), "the launcher is stopping",
                "start the agent again");
    }

    /** Removes a finished helper container at once. */
    synchronized void removeHelper(String id) {
        new BottleObjects(engine.client()).removeContainer(id);
        helpers.remove(id);
    }

    /** Records that the start failed: the state folder goes too, unless it belongs to a resumed bottle. */
    synchronized void failedStart() {
        startFailed = true;
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
            if (!resume) {
                attempt("remove the state folder", state::delete);
            }
            return;
        }
        if (interrupted && !commandStarted) {
            // Interrupted before its command ran: nothing to resume, unless it was a resume.
            if (!resume) {
                attempt("remove the state folder", state::delete);
            }
            messages.println("claude-bottle: interrupted while starting bottle " + ref.identity()
                    + "; everything it created is removed");
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
                : interrupted ? "the launcher was interrupted" : "the session ended with exit code " + exitCode)
                + "; its state is kept in "
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
