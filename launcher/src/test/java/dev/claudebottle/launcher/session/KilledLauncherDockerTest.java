package dev.claudebottle.launcher.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.launcher.docker.BottleObjects;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.docker.DockerTestSupport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A launcher killed with SIGKILL leaves its bottle running; cleanup finds and removes all of it. */
@Tag("docker")
class KilledLauncherDockerTest {

    private static DockerEngine engine;

    @TempDir
    static Path scratch;

    @BeforeAll
    static void images() throws Exception {
        engine = DockerTestSupport.engineOrSkip();
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
    void cleanupRemovesKilledLaunchersBottle() throws Exception {
        Path stateRoot = Files.createDirectories(scratch.resolve("state"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process launcher = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                KilledLauncherMain.class.getName(), stateRoot.toString()))
                .redirectErrorStream(true)
                .start();
        String identity;
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
                    StandardCharsets.UTF_8));
            identity = output.readLine();
            CompletableFuture<Boolean> running = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = output.readLine()) != null; ) {
                        if (line.contains("command-running")) {
                            return true;
                        }
                    }
                } catch (java.io.IOException e) {
                    return false;
                }
                return false;
            });
            assertThat(running.get(120, TimeUnit.SECONDS)).as("the bottle's command started").isTrue();
        } finally {
            launcher.destroyForcibly();
            launcher.waitFor(30, TimeUnit.SECONDS);
        }

        Bottles bottles = new Bottles(engine, stateRoot);
        Bottles.Leftovers leftovers = bottles.leftovers();
        assertThat(leftovers.bottles()).extracting(BottleObjects.Found::identity).contains(identity);
        assertThat(leftovers.stateFolders()).contains(stateRoot.resolve(identity));
        assertThat(bottles.active()).filteredOn(active -> active.identity().equals(identity))
                .singleElement().satisfies(active -> assertThat(active.orphaned()).isTrue());

        bottles.remove(leftovers);

        assertThat(new BottleObjects(engine.client()).find(identity)).isEmpty();
        assertThat(stateRoot.resolve(identity)).doesNotExist();
    }

    /**
     * SIGTERM (what Ctrl-C's SIGINT also triggers: the shutdown hook) at several moments of a
     * start: whatever was being created at that moment is removed too, and a start interrupted
     * before its command ran leaves no state folder.
     */
    @Test
    void terminatedStartLeavesNothing() throws Exception {
        Path stateRoot = Files.createDirectories(scratch.resolve("state-term"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        for (long delay : List.of(400L, 800L, 1200L, 1700L, 2400L, 3500L)) {
            Process launcher = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                    KilledLauncherMain.class.getName(), stateRoot.toString()))
                    .redirectErrorStream(true)
                    .start();
            BufferedReader output = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
                    StandardCharsets.UTF_8));
            String identity = output.readLine();
            CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
                StringBuilder text = new StringBuilder();
                try {
                    for (String line; (line = output.readLine()) != null; ) {
                        text.append(line).append('\n');
                    }
                } catch (java.io.IOException e) {
                    text.append("(output ended: ").append(e.getMessage()).append(")");
                }
                return text.toString();
            });
            TimeUnit.MILLISECONDS.sleep(delay);
            launcher.destroy();
            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as("the launcher ended after SIGTERM").isTrue();
            String log = rest.get(10, TimeUnit.SECONDS);

            assertThat(new BottleObjects(engine.client()).find(identity))
                    .as("objects of %s after SIGTERM at %d ms:%n%s", identity, delay, log).isEmpty();
            if (log.contains("command-running")) {
                assertThat(stateRoot.resolve(identity)).as("state kept for resume at %d ms", delay).exists();
            } else {
                assertThat(stateRoot.resolve(identity)).as("state of a start stopped at %d ms:%n%s", delay, log)
                        .doesNotExist();
            }
        }
    }
}
