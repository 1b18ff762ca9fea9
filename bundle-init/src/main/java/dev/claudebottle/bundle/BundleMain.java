package dev.claudebottle.bundle;

import dev.claudebottle.bundle.secrets.SecretDrop;
import dev.claudebottle.bundle.secrets.SecretException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The bundle container's entry point.
 *
 * <p>{@code run} starts the bottle's services and stays in the foreground until SIGTERM or SIGINT;
 * {@code receive-secrets} is what the launcher runs through {@code docker exec -i} to hand over
 * the secrets on standard input.
 */
@Command(name = "bundle-init", mixinStandardHelpOptions = true,
        description = "Runs a bottle's sidecar services (egress-proxy, cred-proxy, git-gate, supervise, DNS) in one JVM.",
        subcommands = {BundleMain.Run.class, BundleMain.ReceiveSecrets.class})
public final class BundleMain {

    /** Exit code of a stop on request (SIGTERM, SIGINT). */
    public static final int EXIT_STOPPED = 0;
    /** Exit code when the bundle could not run: a failure while starting or stopping. */
    public static final int EXIT_FAILED = 1;
    /** Exit code for a bad command line or an invalid config. */
    public static final int EXIT_CONFIG = 2;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BundleMain()).execute(args));
    }

    @Command(name = "run", description = "Start the services named by the bundle config and serve until stopped.")
    static final class Run implements Callable<Integer> {

        @Option(names = "--config", defaultValue = "/etc/claude-bottle/bundle.yaml",
                description = "The bundle config (YAML or JSON). Default: ${DEFAULT-VALUE}")
        Path config;

        @Option(names = "--exit-when-ready", hidden = true,
                description = "Stop as soon as every service listens (used to record a class-data archive at image build).")
        boolean exitWhenReady;

        @Override
        public Integer call() {
            BundleConfig parsed;
            try {
                parsed = BundleConfig.load(config);
            } catch (BundleConfigException e) {
                System.err.println("bundle-init: error: " + e.getMessage());
                return EXIT_CONFIG;
            }
            return new Bundle(parsed, config, exitWhenReady).runUntilStopped();
        }
    }

    @Command(name = "receive-secrets",
            description = {"Read the secrets document (JSON) from standard input into the secrets tmpfs.",
                    "The bundle picks it up at start; values never appear on a command line or in a log.",
                    "With --add, the document's names join the stored ones and a running bundle applies",
                    "them on its next SIGHUP (the launcher does this when the operator approves a route)."})
    static final class ReceiveSecrets implements Callable<Integer> {

        @Option(names = "--add",
                description = "Add to the stored secrets instead of replacing them; a stored name takes the new value.")
        boolean add;

        @Option(names = "--dir", defaultValue = "/run/claude-bottle/secrets",
                description = "The secrets directory (a tmpfs). Default: ${DEFAULT-VALUE}")
        Path directory;

        @Override
        public Integer call() {
            try {
                SecretDrop drop = new SecretDrop(directory);
                var secrets = add ? drop.add(System.in) : drop.receive(System.in);
                System.err.println("bundle-init: " + (add ? "now holding " : "received ") + secrets.tokenNames().size()
                        + " tokens and " + secrets.sshKeyNames().size() + " SSH keys");
                return 0;
            } catch (SecretException e) {
                System.err.println("bundle-init: error: " + e.getMessage());
                return EXIT_FAILED;
            }
        }
    }
}
