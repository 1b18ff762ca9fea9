package dev.claudebottle.egress.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.claudebottle.egress.EgressConfig;
import dev.claudebottle.egress.EgressProxy;
import dev.claudebottle.egress.EgressProxyException;

/**
 * The standalone proxy: {@code java -jar egress-proxy.jar --config egress.yaml}. Reloads the
 * config on SIGHUP and when the file changes; stops on SIGINT or SIGTERM.
 */
@Command(name = "egress-proxy", mixinStandardHelpOptions = true, subcommands = CheckCommand.class,
        description = {"TLS-bumping forward proxy with an allowlist, SSRF guard, DLP and an audit log.",
            "Reloads the config on SIGHUP and when the file changes."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped normally", "1:failed at run time", "2:invalid usage or config"})
public final class EgressProxyMain implements java.util.concurrent.Callable<Integer> {

    static {
        // The jar's own Logback configuration, unless the user names one; the library jar ships no
        // logback.xml, so an embedding application keeps its own. This runs before the logger
        // below is created, which is when Logback reads its configuration.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "egress-proxy-logback.xml");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(EgressProxyMain.class);

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML config file (listen, allowlist, resolve, ca, audit_log, dlp, limits).")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Builds the command line with the error handling shared by the subcommands. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new EgressProxyMain());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof EgressProxyException) {
                err.println("egress-proxy: " + e.getMessage());
                return 2;
            }
            err.println("egress-proxy: unexpected error: " + e);
            return 1;
        });
        return cli;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (config == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Missing required option: '--config=FILE'");
        }
        EgressConfig initial = EgressConfig.load(config);
        EgressProxy proxy = EgressProxy.start(initial);
        CountDownLatch stopped = new CountDownLatch(1);
        ConfigWatcher watcher = new ConfigWatcher(config, () -> reload(proxy));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            watcher.close();
            proxy.close();
            stopped.countDown();
        }, "egress-shutdown"));
        ConfigWatcher.onHangup(() -> reload(proxy));
        watcher.start();
        spec.commandLine().getOut().println("egress-proxy listening on " + proxy.address());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    private void reload(EgressProxy proxy) {
        try {
            proxy.reload(EgressConfig.load(config));
        } catch (RuntimeException e) {
            log.warn("config reload failed; the previous config stays in force: {}", e.getMessage());
        }
    }
}
