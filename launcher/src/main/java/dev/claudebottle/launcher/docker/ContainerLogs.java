package dev.claudebottle.launcher.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Reads a container's log (its standard output and standard error) through the engine. */
public final class ContainerLogs {

    private static final long TAIL_TIMEOUT_SECONDS = 10;

    private final DockerClient client;

    public ContainerLogs(DockerClient client) {
        this.client = client;
    }

    /** Returns the last {@code lines} lines of the log, or none when the container is gone. */
    public List<String> tail(String container, int lines) {
        LineCollector collector = new LineCollector(line -> { });
        try (LineCollector callback = client.logContainerCmd(container).withStdOut(true).withStdErr(true)
                .withTail(lines).exec(collector)) {
            callback.awaitCompletion(TAIL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (NotFoundException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new AssertionError("closing a log callback does no I/O", e);
        }
        return collector.lines();
    }

    /**
     * Passes each log line to {@code sink}, from {@code tail} lines back, following new lines
     * while {@code follow} is set, until the container stops or the thread is interrupted.
     */
    public void stream(String container, int tail, boolean follow, Consumer<String> sink) throws InterruptedException {
        LineCollector collector = new LineCollector(sink);
        try (LineCollector callback = client.logContainerCmd(container).withStdOut(true).withStdErr(true)
                .withTail(tail).withFollowStream(follow).exec(collector)) {
            callback.awaitCompletion();
        } catch (IOException e) {
            throw new AssertionError("closing a log callback does no I/O", e);
        }
    }

    /** Splits frames into lines; a frame may hold several lines or part of one. */
    private static final class LineCollector extends ResultCallback.Adapter<Frame> {

        private final Consumer<String> sink;
        private final List<String> lines = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        LineCollector(Consumer<String> sink) {
            this.sink = sink;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            partial.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, newline);
                partial.delete(0, newline + 1);
                lines.add(line);
                sink.accept(line);
            }
        }

        @Override
        public synchronized void onComplete() {
            if (partial.length() > 0) {
                lines.add(partial.toString());
                sink.accept(partial.toString());
                partial.setLength(0);
            }
            super.onComplete();
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }
    }
}
