package dev.claudebottle.launcher.session;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The glue between the command line and {@link BottleSession}: engine, options and timing output. */
public final class Launches {

    /** Set to 1 to print the phase timings on standard error; the benchmark script reads them. */
    public static final String TIMINGS_VARIABLE = "CLAUDE_BOTTLE_TIMINGS";

    private Launches() {
    }

    /** Returns the folders to search for the checkout with {@code docker/}: the jar's folder, then {@code workingDirectory}. */
    public static List<Path> imageSearch(Path workingDirectory) {
        List<Path> starts = new ArrayList<>();
        try {
            var location = Launches.class.getProtectionDomain().getCodeSource().getLocation();
            if (location != null) {
                starts.add(Path.of(location.toURI()).getParent());
            }
        } catch (URISyntaxException | SecurityException e) {
            // The jar's own folder is only a hint; the working directory is searched next.
        }
        starts.add(workingDirectory);
        return starts;
    }

    /** Reads a resume's working tree and extra networks from the state folder's record. */
    public static SessionRecord record(Path stateFolder, String identity) {
        return new StateDirectory(stateFolder).readRecord().orElseThrow(() -> new LauncherException(
                "cannot resume bottle " + identity, "no state was kept for it in " + stateFolder,
                "only a session that ended with an error can be resumed; start a new one with `claude-bottle start`"));
    }

    /** Runs a session and returns its exit code, printing timings when {@link #TIMINGS_VARIABLE} is set. */
    public static int run(BottlePlan plan, SessionOptions options, Map<String, String> environment,
            Function<String, String> prompter, PrintWriter messages, OutputStream stdout, OutputStream stderr) {
        try (DockerEngine engine = DockerEngine.connect(environment)) {
            BottleSession session = new BottleSession(engine, plan, options, environment, prompter, messages, stdout,
                    stderr);
            messages.println("claude-bottle: starting bottle " + plan.identity());
            messages.flush();
            int code = session.run();
            if ("1".equals(environment.get(TIMINGS_VARIABLE))) {
                session.timings().ifPresent(timings -> messages.println("claude-bottle: " + timings.line()));
                messages.flush();
            }
            return code;
        }
    }

    /**
     * Checks a {@code --cwd} folder before anything is created: it must be an existing folder, and
     * it must not hold the claude-bottle home (whose state folders would be copied into the
     * bottle) or the user's home folder (keys and dotfiles).
     *
     * @throws LauncherException naming the folder, the problem and the fix
     */
    public static void checkWorkingTree(Path tree, Path claudeBottleHome, Path userHome) {
        String failure = "cannot copy " + tree + " into the bottle";
        if (!Files.exists(tree)) {
            throw new LauncherException(failure, "it does not exist", "pass an existing folder to --cwd");
        }
        if (!Files.isDirectory(tree)) {
            throw new LauncherException(failure, "it is a file, not a folder",
                    "pass the folder that holds it to --cwd");
        }
        Path real = realPath(tree);
        if (userHome != null && realPath(userHome).startsWith(real)) {
            throw new LauncherException(failure, "it is or contains your home folder " + userHome
                    + ", whose keys and dotfiles would be copied into the bottle",
                    "pass the project folder itself to --cwd");
        }
        if (realPath(claudeBottleHome).startsWith(real)) {
            throw new LauncherException(failure, "it contains the claude-bottle home " + claudeBottleHome
                    + ", whose bottle state would be copied into the bottle",
                    "pass the project folder itself to --cwd, or set CLAUDE_BOTTLE_HOME outside it");
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** Resolves the {@code --cwd} folder against the working directory. */
    public static Optional<Path> workingTree(Path option, Path workingDirectory) {
        return Optional.ofNullable(option).map(path -> workingDirectory.resolve(path).toAbsolutePath().normalize());
    }
}
