package dev.claudebottle.launcher.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.launcher.cli.LauncherContext;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.manifest.ManifestCatalog;
import dev.claudebottle.launcher.manifest.ManifestProblem;
import dev.claudebottle.launcher.session.Bottles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "dashboard",
        mixinStandardHelpOptions = true,
        header = "Decide the access requests of all bottles.",
        description = {
            "Show the requests that agents sent through supervise (a blocked host, a missing credential route, a missing tool), oldest first, and approve, modify or reject them. An approved host is allowed in the running bottle at once; every approval is kept in the bottle's overlay, which `resume` adds to the manifest.",
            "",
            "Without a subcommand it opens a full-screen view with the pending requests and the running bottles. q leaves it; bottles keep running.",
            ""},
        subcommands = {DashboardCommand.Approve.class, DashboardCommand.Reject.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  claude-bottle dashboard                          open the full-screen view",
            "  claude-bottle dashboard --once                   print the pending requests",
            "  claude-bottle dashboard approve ID --note 'ok'   approve a request",
            "  claude-bottle dashboard reject ID --reason 'no'  reject a request"})
public final class DashboardCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--once", description = "Print the pending requests of all bottles and exit.")
    boolean once;

    @Spec
    CommandSpec spec;

    private final LauncherContext context;
    private final BottleControl control;

    /**
     * Creates the command for {@code context}. It reaches bottles through the {@code docker} client,
     * and stops them as {@code claude-bottle stop} does.
     */
    public DashboardCommand(LauncherContext context) {
        this(context, new DockerCliBottleControl("docker", identity -> {
            try (DockerEngine engine = DockerEngine.connect(context.environment())) {
                new Bottles(engine, context.locations().home().resolve("state")).stop(identity);
            }
        }));
    }

    DashboardCommand(LauncherContext context, BottleControl control) {
        this.context = context;
        this.control = control;
    }

    @Override
    public Integer call() {
        if (once) {
            printPending();
            return 0;
        }
        if (context.terminal().isEmpty()) {
            throw new DashboardException("cannot open the dashboard", "standard input or output is not a terminal",
                    "run it in a terminal, or use `claude-bottle dashboard --once` and the approve and reject "
                            + "subcommands in scripts");
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("claude-bottle dashboard").build()) {
            return new DashboardScreen(terminal, dashboard(), control, this::manifestStatus,
                    home().resolve("logs"), context.environment(), Clock.systemUTC()).run();
        } catch (IOException e) {
            throw new DashboardException("cannot open the dashboard", "the terminal cannot be used: " + e.getMessage(),
                    "use `claude-bottle dashboard --once` instead", e);
        }
    }

    Dashboard dashboard() {
        return new Dashboard(BottleDirectory.of(home().resolve("state")), control, context.environment(),
                Clock.systemUTC());
    }

    private Path home() {
        return context.locations().home();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private void printPending() {
        Dashboard dashboard = dashboard();
        List<Dashboard.Pending> pending = dashboard.pending();
        dashboard.problems().forEach(problem -> err().println("claude-bottle: warning: " + problem));
        if (pending.isEmpty()) {
            out().println("no pending requests");
            out().flush();
            return;
        }
        out().println(pending.size() + (pending.size() == 1 ? " pending request" : " pending requests")
                + ", oldest first:");
        out().println(String.format("%-27s %-20s %-5s %-17s %s", "ID", "BOTTLE", "AGE", "TOOL", "SUMMARY"));
        Instant now = Instant.now();
        for (Dashboard.Pending request : pending) {
            out().println(String.format("%-27s %-20s %-5s %-17s %s", request.id(), request.bottle().identity(),
                    ScreenText.age(Duration.between(request.request().createdAt(), now)), request.request().tool(),
                    ScreenText.clean(request.request().summary())).stripTrailing());
        }
        out().flush();
    }

    /** Summarizes manifest problems for the dashboard's status line; a bad manifest never stops it. */
    private Optional<String> manifestStatus() {
        try {
            ManifestCatalog catalog = context.loadCatalog();
            List<ManifestProblem> problems = catalog.validateAll();
            if (problems.isEmpty()) {
                return catalog.warnings().stream().findFirst().map(warning -> "manifest warning: " + warning);
            }
            return Optional.of(problems.size() + (problems.size() == 1 ? " manifest problem" : " manifest problems")
                    + " (run `claude-bottle validate`): " + problems.get(0));
        } catch (RuntimeException e) {
            return Optional.of("cannot read the manifests: " + e.getMessage() + " (run `claude-bottle validate`)");
        }
    }

    @Command(name = "approve",
            mixinStandardHelpOptions = true,
            header = "Apply and approve a pending request.",
            description = {
                "Apply the change a request asks for, then approve it. If applying fails, the request stays pending and the error states why.",
                ""},
            footerHeading = "%nExamples:%n",
            footer = {
                "  claude-bottle dashboard approve 20261204T203501Z-3f9a2c1b --note 'one week'",
                "  claude-bottle dashboard approve 20261204T203501Z-3f9a2c1b --input new.json",
                "  claude-bottle dashboard approve 20261204T203501Z-3f9a2c1b --allow-private"})
    static final class Approve implements Callable<Integer> {

        @ParentCommand
        DashboardCommand parent;

        @Parameters(paramLabel = "ID", description = "The request id, as `dashboard --once` prints it.")
        String id;

        @Option(names = "--note", paramLabel = "TEXT", description = "A note the agent sees with the approval.")
        String note;

        @Option(names = "--input", paramLabel = "FILE",
                description = "A JSON file with a modified tool input to approve instead of the agent's; it is checked like the agent's input.")
        Path input;

        @Option(names = "--allow-private",
                description = "For egress-block: let the host resolve to loopback, private or link-local addresses, such as a service on a network the bundle joined with --bundle-network.")
        boolean allowPrivate;

        @Override
        public Integer call() {
            Dashboard.Outcome outcome = parent.dashboard().approve(id, note,
                    input == null ? null : readInput(input), allowPrivate);
            parent.out().println("approved request " + id + " of bottle " + outcome.pending().bottle().identity()
                    + (outcome.decision().modified() ? " with modified input" : ""));
            outcome.messages().forEach(message -> parent.out().println("  " + message));
            parent.out().flush();
            return 0;
        }

        private static ObjectNode readInput(Path file) {
            JsonNode json;
            try {
                json = JSON.readTree(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new DashboardException("cannot read the modified input " + file, String.valueOf(e.getMessage()),
                        "pass a JSON file with the tool's input fields");
            }
            if (!(json instanceof ObjectNode object)) {
                throw new DashboardException("cannot use the modified input " + file, "it is not a JSON object",
                        "write the tool's input as an object, such as {\"failed_url\": ..., \"justification\": ...}");
            }
            return object;
        }
    }

    @Command(name = "reject",
            mixinStandardHelpOptions = true,
            header = "Reject a pending request.",
            description = {"Reject a request. The agent is shown the reason, so make it something it can act on.", ""},
            footerHeading = "%nExamples:%n",
            footer = "  claude-bottle dashboard reject 20261204T203501Z-3f9a2c1b --reason 'use npm'")
    static final class Reject implements Callable<Integer> {

        @ParentCommand
        DashboardCommand parent;

        @Parameters(paramLabel = "ID", description = "The request id, as `dashboard --once` prints it.")
        String id;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; the agent is shown it.")
        String reason;

        @Override
        public Integer call() {
            Dashboard.Outcome outcome = parent.dashboard().reject(id, reason);
            parent.out().println("rejected request " + id + " of bottle " + outcome.pending().bottle().identity());
            parent.out().flush();
            return 0;
        }
    }
}
