package dev.claudebottle.gitgate.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A gate running in a child JVM (see {@code GateProcessMain}), so its heap can be capped. */
public final class GateProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private GateProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the gate with {@code maxHeap} (e.g. {@code 96m}) and waits up to 60 s for it to listen.
     * The child's output goes to {@code log}.
     */
    public static GateProcess start(String maxHeap, Path log, List<String> gateArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.claudebottle.gitgate.GateProcessMain");
        command.addAll(gateArgs);
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = firstLine.get(60, TimeUnit.SECONDS);
            if (line == null || !line.startsWith("LISTENING ")) {
                process.destroyForcibly();
                throw new IOException("gate process did not start; its log:\n" + Files.readString(log));
            }
            return new GateProcess(process, Integer.parseInt(line.substring("LISTENING ".length()).strip()));
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("gate process did not report its port in 60 s", e);
        }
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Returns the exit code once the process has ended, or -1 while it runs. */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
