package dev.claudebottle.bundle.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the docker command line for container tests, with a timeout per call. The launcher uses
 * docker-java; these tests drive the bundle image the way an operator would by hand.
 */
final class DockerCli {

    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    private DockerCli() {
    }

    static boolean available() {
        try {
            return run(Duration.ofSeconds(20), null, "docker", "info").exitCode() == 0;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    static Result docker(Duration timeout, String... args) {
        return run(timeout, null, prepend(args));
    }

    static Result dockerWithInput(Duration timeout, byte[] input, String... args) {
        return run(timeout, input, prepend(args));
    }

    /** Runs docker and fails the test with its output when it exits non-zero. */
    static String check(Duration timeout, String... args) {
        Result result = docker(timeout, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("docker " + String.join(" ", args) + " exited " + result.exitCode()
                    + ":\n" + result.output());
        }
        return result.stdout().trim();
    }

    private static String[] prepend(String[] args) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    private static Result run(Duration timeout, byte[] input, String... command) {
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<String> stdout = drain(process.getInputStream());
            CompletableFuture<String> stderr = drain(process.getErrorStream());
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input);
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                stream.transferTo(buffer);
                return buffer.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
