package dev.claudebottle.gitgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real {@code git} command line, isolated from the machine's user and system config: its
 * own HOME with a minimal {@code .gitconfig}, {@code GIT_CONFIG_NOSYSTEM}, and no inherited
 * environment besides PATH.
 */
public final class GitCli {

    private final Path home;

    public GitCli(Path home) {
        this.home = home;
        try {
            Files.createDirectories(home);
            Files.writeString(home.resolve(".gitconfig"), """
                    [user]
                    \tname = Test Agent
                    \temail = agent@example.test
                    [init]
                    \tdefaultBranch = main
                    [advice]
                    \tdetachedHead = false
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Output and exit code of one git run (stdout and stderr merged). */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs git in {@code dir} and returns its result; fails the test if it runs over 300 s. */
    public Result run(Path dir, String... args) {
        return runWithEnv(dir, Map.of(), args);
    }

    public Result runWithEnv(Path dir, Map<String, String> extraEnv, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear();
        env.put("PATH", path);
        env.put("HOME", home.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("LC_ALL", "C");
        env.putAll(extraEnv);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return process.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("git " + String.join(" ", args) + " did not finish in 300 s");
            }
            return new Result(process.exitValue(), new String(output.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("reading the output of git " + String.join(" ", args) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Runs git and fails the test with git's output unless it exits 0. */
    public String ok(Path dir, String... args) {
        Result result = run(dir, args);
        if (!result.ok()) {
            throw new AssertionError("git " + String.join(" ", args) + " failed (" + result.exitCode() + "):\n" + result.output());
        }
        return result.output();
    }

    /** Writes {@code content} to {@code file} in the work tree and commits it. */
    public String commitFile(Path workTree, String file, String content, String message) {
        try {
            Path target = workTree.resolve(file);
            Files.createDirectories(target.getParent());
            Files.writeString(target, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ok(workTree, "add", "--", file);
        ok(workTree, "commit", "-q", "-m", message);
        return ok(workTree, "rev-parse", "HEAD").strip();
    }
}
