package dev.claudebottle.launcher.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs commands in a running container through the engine's exec API. Input such as scripts
 * and secrets goes over the exec's standard input, never on its command line, because the
 * command line is visible in {@code docker inspect} and {@code ps}.
 *
 * <p>docker-java 3.6.0 copies standard input onto the hijacked connection but never half-closes
 * it at the end, so a command reading to end of input would wait forever. Input is therefore
 * sent with a known length: the command runs as {@code sh -c 'head -c N | "$@"'}, and
 * {@code head} ends the pipe after N bytes. Only the length is on the command line.
 */
public final class ContainerExec {

    /** Output kept per stream; provisioning steps print a few lines, so this only bounds memory. */
    public static final int MAX_CAPTURED_BYTES = 256 * 1024;

    private final DockerClient client;

    public ContainerExec(DockerClient client) {
        this.client = client;
    }

    /**
     * Runs {@code command} as {@code user} with {@code stdin} as its standard input and waits up
     * to {@code timeout} for it to finish.
     *
     * @param stdin bytes the command reads; the stream ends after them
     * @throws TimeoutException when the command is still running at the timeout
     */
    public ExecResult run(String containerId, String user, List<String> command, byte[] stdin, Duration timeout)
            throws TimeoutException, InterruptedException {
        return run(containerId, user, command, List.of(), stdin, timeout);
    }

    /** Runs a command like {@link #run(String, String, List, byte[], Duration)} with extra environment. */
    public ExecResult run(String containerId, String user, List<String> command, List<String> environment,
            byte[] stdin, Duration timeout) throws TimeoutException, InterruptedException {
        ExecCreateCmd create = client.execCreateCmd(containerId)
                .withCmd(framed(command, stdin).toArray(String[]::new))
                .withUser(user)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .withAttachStdin(stdin != null);
        if (!environment.isEmpty()) {
            create.withEnv(environment);
        }
        String execId = create.exec().getId();

        CapturingCallback output = new CapturingCallback();
        var start = client.execStartCmd(execId).withDetach(false).withTty(false);
        if (stdin != null) {
            start.withStdIn(new ByteArrayInputStream(stdin));
        }
        try (CapturingCallback callback = start.exec(output)) {
            if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new TimeoutException("the command " + command.get(0) + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
        } catch (IOException e) {
            throw new AssertionError("closing an exec callback does no I/O", e);
        }
        return new ExecResult(exitCode(execId), output.stdout(), output.stderr());
    }

    /**
     * Runs {@code command} streaming its output to {@code stdout} and {@code stderr} and feeding it
     * {@code stdin}, without a TTY, until it exits. Returns its exit code.
     */
    public int stream(String containerId, String user, List<String> command, String workingDir,
            List<String> environment, byte[] stdin, OutputStream stdout, OutputStream stderr)
            throws InterruptedException {
        ExecCreateCmd create = client.execCreateCmd(containerId)
                .withCmd(framed(command, stdin).toArray(String[]::new))
                .withUser(user)
                .withWorkingDir(workingDir)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .withAttachStdin(stdin != null);
        if (!environment.isEmpty()) {
            create.withEnv(environment);
        }
        String execId = create.exec().getId();
        var start = client.execStartCmd(execId).withDetach(false).withTty(false);
        if (stdin != null) {
            start.withStdIn(new ByteArrayInputStream(stdin));
        }
        try (ForwardingCallback callback = start.exec(new ForwardingCallback(stdout, stderr))) {
            callback.awaitCompletion();
        } catch (IOException e) {
            throw new AssertionError("closing an exec callback does no I/O", e);
        }
        return exitCode(execId);
    }

    /** Wraps {@code command} so that its standard input ends after {@code stdin.length} bytes. */
    static List<String> framed(List<String> command, byte[] stdin) {
        if (stdin == null) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "head -c " + stdin.length + " | \"$@\"", "sh"));
        wrapped.addAll(command);
        return wrapped;
    }

    int exitCode(String execId) {
        InspectExecResponse inspect = client.inspectExecCmd(execId).exec();
        Long code = inspect.getExitCodeLong();
        return code == null ? -1 : code.intValue();
    }

    /** Keeps standard output and standard error apart, each bounded. */
    private static final class CapturingCallback extends ResultCallback.Adapter<Frame> {

        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        @Override
        public void onNext(Frame frame) {
            ByteArrayOutputStream target = switch (frame.getStreamType()) {
                case STDERR -> stderr;
                default -> stdout;
            };
            synchronized (this) {
                int room = MAX_CAPTURED_BYTES - target.size();
                if (room > 0) {
                    target.write(frame.getPayload(), 0, Math.min(room, frame.getPayload().length));
                }
            }
        }

        synchronized String stdout() {
            return stdout.toString(StandardCharsets.UTF_8);
        }

        synchronized String stderr() {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    /** Copies each frame to the matching stream as it arrives. */
    private static final class ForwardingCallback extends ResultCallback.Adapter<Frame> {

        private final OutputStream stdout;
        private final OutputStream stderr;

        ForwardingCallback(OutputStream stdout, OutputStream stderr) {
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public void onNext(Frame frame) {
            OutputStream target = switch (frame.getStreamType()) {
                case STDERR -> stderr;
                default -> stdout;
            };
            try {
                target.write(frame.getPayload());
                target.flush();
            } catch (IOException e) {
                onError(e);
            }
        }
    }
}
