package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.manifest.EnvValue;
import dev.claudebottle.launcher.plan.BottlePlan;
import dev.claudebottle.launcher.session.Launches;
import dev.claudebottle.launcher.session.SessionOptions;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options of commands that run a bottle ({@code start}, {@code resume}), and the launch itself. */
final class SessionFlags {

    @Option(names = "--cwd", paramLabel = "FOLDER",
            description = "Copy FOLDER (usually a git working tree) into the bottle as the agent's workspace.")
    Path cwd;

    @Option(names = "--build-ca", paramLabel = "FILE",
            description = "Trust FILE (a PEM CA bundle) while images build, for networks that inspect TLS; "
                    + "usually /etc/ssl/certs/ca-certificates.crt.")
    Path buildCa;

    @Option(names = "--bundle-network", paramLabel = "NETWORK",
            description = "An existing Docker network the bundle joins too, so egress-proxy can reach services on "
                    + "it (allowlist them as usual). Repeatable.")
    List<String> bundleNetworks = new ArrayList<>();

    @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the bundle to report ready, in seconds (default: ${DEFAULT-VALUE}).")
    int readySeconds;

    /** Returns the {@code --cwd} folder, resolved and checked, or empty when none was given. */
    Optional<Path> checkedWorkingTree(LauncherContext context) {
        Optional<Path> tree = Launches.workingTree(cwd, context.workingDirectory());
        tree.ifPresent(folder -> Launches.checkWorkingTree(folder, context.locations().home(), context.userHome()));
        return tree;
    }

    /** Starts the bottle of {@code plan} and returns the exit code of its command. */
    int launch(BottlePlan plan, List<String> command, boolean resume, LauncherContext context, PrintWriter messages,
            PrintWriter out) {
        if (readySeconds < 1) {
            throw new LauncherException("invalid --ready-timeout " + readySeconds, "it must be at least 1 second",
                    "pass a number of seconds such as --ready-timeout 60, the default");
        }
        boolean terminal = context.terminal().isPresent();
        if (command.isEmpty() && !terminal) {
            throw new LauncherException("cannot attach to claude", "standard input or output is not a terminal",
                    "run in a terminal, or pass a command after --, such as `-- claude -p 'hello'`");
        }
        List<String> prompted = plan.bottle().env().entrySet().stream()
                .filter(entry -> entry.getValue() instanceof EnvValue.Prompt)
                .map(Map.Entry::getKey)
                .toList();
        if (!prompted.isEmpty() && context.terminal().isEmpty()) {
            throw new LauncherException("cannot ask for the value of " + String.join(", ", prompted),
                    "the bottle's env marks " + (prompted.size() == 1 ? "it" : "them") + " \"?\" (asked at launch) and "
                            + "there is no terminal to ask on",
                    "run in a terminal, or give the value in the manifest, such as " + prompted.get(0)
                            + ": \"${HOST_VAR}\"");
        }
        List<String> networks = new ArrayList<>(bundleNetworks);
        Optional<Path> tree = checkedWorkingTree(context);
        SessionOptions options = new SessionOptions(command, terminal, Optional.empty(), tree,
                Optional.ofNullable(buildCa), networks, Launches.imageSearch(context.workingDirectory()),
                java.time.Duration.ofSeconds(readySeconds), resume);
        out.flush();
        // The command's output goes straight to the process's streams: it may be binary and large.
        return Launches.run(plan, options, context.environment(), prompt -> context.terminal()
                .flatMap(t -> t.readSecret(prompt + ": "))
                .orElseThrow(() -> new LauncherException("cannot ask for " + prompt, "there is no terminal",
                        "run in a terminal, or set the value in the manifest")),
                messages, new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err));
    }
}
