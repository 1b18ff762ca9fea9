package dev.claudebottle.launcher.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.docker.DockerTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive attach, under a real pseudo-terminal made by util-linux {@code script}: the
 * command gets a TTY of the terminal's size, Ctrl-C reaches it as SIGINT, and its exit code
 * comes back.
 */
@Tag("docker")
class TerminalAttachDockerTest {

    private static DockerEngine engine;

    @TempDir
    static Path scratch;

    @BeforeAll
    static void images() throws Exception {
        engine = DockerTestSupport.engineOrSkip();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script is missing; it makes the pty");
        TestBottles.buildSlimAgent(engine, Files.createDirectories(scratch.resolve("slim")));
        TestBottles.buildBundle(engine);
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void ttyCarriesSizeCtrlCAndExitCode() throws Exception {
        Path stateRoot = Files.createDirectories(scratch.resolve("state"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String launcher = "stty rows 40 cols 100; exec " + java + " -cp " + System.getProperty("java.class.path") + " "
                + InteractiveLauncherMain.class.getName() + " " + stateRoot;
        Process process = new ProcessBuilder(List.of("/usr/bin/script", "-qefc", launcher, "/dev/null"))
                .redirectErrorStream(true)
                .start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        CountDownLatch ready = new CountDownLatch(1);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> copy(process.getInputStream(), output, ready));
        try {
            assertThat(ready.await(180, TimeUnit.SECONDS)).as("the command started: %s", output).isTrue();
            OutputStream keyboard = process.getOutputStream();
            keyboard.write(3);
            keyboard.flush();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the launcher ended: %s", output).isTrue();
            reader.get(10, TimeUnit.SECONDS);
        } finally {
            process.destroyForcibly();
        }

        String text = output.toString(StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isEqualTo(9);
        assertThat(text).contains("40 100");
        assertThat(text).contains("/dev/pts/");
        assertThat(text).contains("got-sigint");
    }

    private static void copy(InputStream input, ByteArrayOutputStream output, CountDownLatch ready) {
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = input.read(buffer)) >= 0; ) {
                synchronized (output) {
                    output.write(buffer, 0, n);
                    if (output.toString(StandardCharsets.UTF_8).contains("ready\r\n")) {
                        ready.countDown();
                    }
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
    }
}
