package dev.claudebottle.dlp.cli;

import dev.claudebottle.dlp.DlpException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code dlp-rules.jar}: {@code scan}, {@code rules} and {@code export-gitleaks}.
 *
 * <p>Exit codes: 0 clean, 1 secrets found ({@code scan} only), 2 on usage errors and on any error
 * while running (unreadable file, invalid rule file). Errors print one line and a hint, never a
 * stack trace.
 */
@Command(name = "dlp-rules", mixinStandardHelpOptions = true, versionProvider = DlpCommand.Version.class,
        description = "Finds secrets (tokens, keys, passwords) in files and streams.",
        subcommands = {ScanCommand.class, RulesCommand.class, ExportGitleaksCommand.class})
public final class DlpCommand implements Runnable {
    /** Exit code when a scan found at least one secret. */
    public static final int EXIT_FOUND = 1;
    /** Exit code for usage errors and failures. */
    public static final int EXIT_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** Builds the command line with the exit-code and error handling this tool promises. */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new DlpCommand());
        commandLine.setExecutionExceptionHandler(DlpCommand::handleExecutionException);
        commandLine.setExitCodeExceptionMapper(e -> EXIT_ERROR);
        return commandLine;
    }

    private static int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        String message = e instanceof DlpException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
        err.println("dlp-rules: error: " + message);
        err.println("Run 'dlp-rules " + commandLine.getCommandName() + " --help' for usage.");
        err.flush();
        return EXIT_ERROR;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: use scan, rules or export-gitleaks");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = DlpCommand.class.getPackage().getImplementationVersion();
            return new String[] {"dlp-rules " + (version == null ? "(development build)" : version)};
        }
    }
}
