package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.dashboard.DashboardCommand;
import dev.claudebottle.launcher.manifest.ManifestException;
import dev.claudebottle.launcher.manifest.ManifestProblem;
import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The entry point of {@code launcher.jar}. Errors are printed as
 * {@code claude-bottle: error: <what>, <why>, <what to do>}: exit status 1 for a failed command,
 * 2 for invalid usage, and a stack trace only with {@code --debug}.
 */
public final class LauncherMain {

    public static final String NAME = "claude-bottle";
    static final String DEBUG_OPTION = "--debug";

    private LauncherMain() {
    }

    public static void main(String[] args) {
        System.exit(commandLine(LauncherContext.system()).execute(args));
    }

    /** Builds the command line for {@code context}; tests call {@code execute} on it. */
    public static CommandLine commandLine(LauncherContext context) {
        CommandLine commandLine = new CommandLine(new LauncherCommand(context));
        // Added here rather than in LauncherCommand's list because it needs the context at construction.
        commandLine.addSubcommand(new DashboardCommand(context));
        commandLine.setExecutionExceptionHandler(new ExecutionErrors());
        commandLine.setParameterExceptionHandler(new UsageErrors());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }

    /** Prints a failed command's error; the exception itself is shown only with --debug. */
    private static final class ExecutionErrors implements IExecutionExceptionHandler {

        @Override
        public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
            PrintWriter err = commandLine.getErr();
            if (exception instanceof ManifestException manifest) {
                for (ManifestProblem problem : manifest.problems()) {
                    err.println(problem);
                }
            }
            if (exception instanceof LauncherException launcher) {
                err.println(NAME + ": error: " + launcher.getMessage());
            } else {
                err.println(NAME + ": error: unexpected " + exception.getClass().getName() + ": "
                        + exception.getMessage() + ", this is a bug in " + NAME
                        + ", run again with --debug and report the stack trace");
            }
            if (Arrays.asList(parseResult.originalArgs().toArray(new String[0])).contains(DEBUG_OPTION)) {
                exception.printStackTrace(err);
            }
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /** Prints a usage error with the command's help hint and any "did you mean" suggestions. */
    private static final class UsageErrors implements IParameterExceptionHandler {

        @Override
        public int handleParseException(ParameterException exception, String[] args) {
            CommandLine commandLine = exception.getCommandLine();
            PrintWriter err = commandLine.getErr();
            String message = exception.getMessage().replaceAll("\\s*\\n\\s*", " ").strip();
            err.println(NAME + ": error: " + message + ", see `" + commandLine.getCommandSpec().qualifiedName()
                    + " --help`");
            UnmatchedArgumentException.printSuggestions(exception, err);
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
    }
}
