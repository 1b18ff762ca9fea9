package dev.claudebottle.launcher.session;

import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A launcher process for {@link KilledLauncherDockerTest}: it starts a bottle whose command
 * sleeps, prints the identity and waits to be killed with SIGKILL.
 */
public final class KilledLauncherMain {

    private KilledLauncherMain() {
    }

    public static void main(String[] args) {
        Path stateRoot = Path.of(args[0]);
        BottlePlan plan = TestBottles.plan("killed", TestBottles.SLIM_AGENT, stateRoot);
        System.out.println(plan.identity());
        System.out.flush();
        try (DockerEngine engine = DockerEngine.connect()) {
            new BottleSession(engine, plan, SessionOptions.command(List.of("sh", "-c", "echo command-running >&2; exec sleep 600")),
                    Map.of(), prompt -> "", new PrintWriter(System.err, true), System.out, System.err).run();
        }
    }
}
