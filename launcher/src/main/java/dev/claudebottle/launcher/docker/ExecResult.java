package dev.claudebottle.launcher.docker;

/**
 * The outcome of a command run in a container.
 *
 * @param exitCode the command's exit code
 * @param stdout what it wrote on standard output, cut at {@link ContainerExec#MAX_CAPTURED_BYTES}
 * @param stderr what it wrote on standard error, cut likewise
 */
public record ExecResult(int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The last lines of standard error, or of standard output when stderr is empty, for messages. */
    public String tail(int lines) {
        String text = stderr.isBlank() ? stdout : stderr;
        String[] all = text.strip().split("\n");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }
}
