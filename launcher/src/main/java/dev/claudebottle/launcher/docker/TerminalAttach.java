package dev.claudebottle.launcher.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.io.OutputStream;
import java.util.EnumSet;
import java.util.List;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Runs a command in a container attached to the user's terminal, as {@code docker exec -it}
 * does. The terminal goes into raw mode, so keys such as Ctrl-C reach the command as bytes and
 * its TTY turns them into signals. Window size changes follow the terminal, and the command's
 * exit code comes back. JLine does the terminal work, because the JDK has no raw mode.
 */
public final class TerminalAttach {

    private TerminalAttach() {
    }

    /** Runs {@code command} as {@code user} in {@code workingDir} and returns its exit code. */
    public static int run(DockerClient client, String container, String user, List<String> command,
            String workingDir, List<String> environment) throws InterruptedException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            var create = client.execCreateCmd(container)
                    .withCmd(sized(command, terminal.getSize()).toArray(String[]::new))
                    .withUser(user)
                    .withWorkingDir(workingDir)
                    .withTty(true)
                    .withAttachStdin(true)
                    .withAttachStdout(true)
                    .withAttachStderr(true);
            if (!environment.isEmpty()) {
                create.withEnv(environment);
            }
            String execId = create.exec().getId();
            Attributes saved = terminal.getAttributes();
            terminal.setAttributes(raw(saved));
            try {
                terminal.handle(Terminal.Signal.WINCH, signal -> resize(client, execId, terminal.getSize()));
                RawOutput output = new RawOutput(terminal.output());
                try (RawOutput callback = client.execStartCmd(execId).withDetach(false).withTty(true)
                        .withStdIn(terminal.input()).exec(output)) {
                    resize(client, execId, terminal.getSize());
                    callback.awaitCompletion();
                }
            } finally {
                terminal.setAttributes(saved);
                terminal.handle(Terminal.Signal.WINCH, Terminal.SignalHandler.SIG_DFL);
                terminal.flush();
            }
            Long code = client.inspectExecCmd(execId).exec().getExitCodeLong();
            return code == null ? -1 : code.intValue();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot use the terminal", e);
        }
    }

    /**
     * Returns the attributes of raw mode as cfmakeraw(3) sets them. JLine's own
     * {@code enterRawMode} keeps ISIG, so Ctrl-C would signal the launcher instead of reaching the
     * command as a byte.
     */
    static Attributes raw(Attributes saved) {
        Attributes raw = new Attributes(saved);
        raw.setLocalFlags(EnumSet.of(Attributes.LocalFlag.ICANON, Attributes.LocalFlag.ECHO,
                Attributes.LocalFlag.ECHONL, Attributes.LocalFlag.ISIG, Attributes.LocalFlag.IEXTEN), false);
        raw.setInputFlags(EnumSet.of(Attributes.InputFlag.IGNBRK, Attributes.InputFlag.BRKINT,
                Attributes.InputFlag.PARMRK, Attributes.InputFlag.ISTRIP, Attributes.InputFlag.INLCR,
                Attributes.InputFlag.IGNCR, Attributes.InputFlag.ICRNL, Attributes.InputFlag.IXON), false);
        raw.setOutputFlag(Attributes.OutputFlag.OPOST, false);
        raw.setControlChar(Attributes.ControlChar.VMIN, 1);
        raw.setControlChar(Attributes.ControlChar.VTIME, 0);
        return raw;
    }

    /**
     * Sets the TTY's size before the command starts. The engine's API 1.41 takes the size only
     * after the exec started, so a command that reads it at once would see 0 x 0.
     */
    static List<String> sized(List<String> command, Size size) {
        if (size.getRows() <= 0 || size.getColumns() <= 0) {
            return command;
        }
        List<String> wrapped = new java.util.ArrayList<>(List.of("sh", "-c",
                "stty rows " + size.getRows() + " cols " + size.getColumns() + " 2>/dev/null; exec \"$@\"", "sh"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void resize(DockerClient client, String execId, Size size) {
        if (size.getRows() <= 0 || size.getColumns() <= 0) {
            return;
        }
        try {
            client.resizeExecCmd(execId).withSize(size.getRows(), size.getColumns()).exec();
        } catch (RuntimeException e) {
            // The exec may have ended between the signal and the call; the next resize will tell.
        }
    }

    /** Copies the TTY stream to the terminal as it arrives. */
    private static final class RawOutput extends ResultCallback.Adapter<Frame> {

        private final OutputStream terminal;

        RawOutput(OutputStream terminal) {
            this.terminal = terminal;
        }

        @Override
        public void onNext(Frame frame) {
            try {
                terminal.write(frame.getPayload());
                terminal.flush();
            } catch (IOException e) {
                onError(e);
            }
        }
    }

}
