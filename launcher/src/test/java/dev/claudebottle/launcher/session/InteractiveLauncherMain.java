package dev.claudebottle.launcher.session;

import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A launcher process for {@link TerminalAttachDockerTest}: it runs a bottle's command attached to
 * this process's terminal and exits with the command's exit code.
 */
public final class InteractiveLauncherMain {

    private InteractiveLauncherMain() {
    }

    public static void main(String[] args) {
        BottlePlan plan = TestBottles.plan("tty", TestBottles.SLIM_AGENT, Path.of(args[0]));
        String script = "stty size; tty; trap 'echo got-sigint; exit 9' INT; echo ready; while :; do sleep 0.1; done";
        SessionOptions options = new SessionOptions(List.of("sh", "-c", script), true, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), List.of(Path.of("").toAbsolutePath()),
                Duration.ofSeconds(60), false);
        int code;
        try (DockerEngine engine = DockerEngine.connect()) {
            code = new BottleSession(engine, plan, options, Map.of(), prompt -> "", new PrintWriter(System.err, true),
                    System.out, System.err).run();
        }
        System.exit(code);
    }
}
