package dev.claudebottle.launcher.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.claudebottle.supervise.queue.Decision;
import dev.claudebottle.supervise.queue.QueuedRequest;
import dev.claudebottle.supervise.queue.RequestStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code claude-bottle dashboard} in a real terminal, a detached tmux session on a private tmux
 * server, and drives it with send-keys while reading the screen with capture-pane.
 */
@Tag("tmux")
class DashboardTmuxTest {

    private static final Duration SCREEN_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path temporaryFolder;

    private final String socket = "claude-bottle-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private boolean serverStarted;

    @BeforeEach
    void requireTmux() {
        assumeTrue(tmuxAvailable(), "tmux is not installed; install it (apt-get install -y tmux) to run this test");
    }

    @AfterEach
    void stopTmuxServer() throws IOException, InterruptedException {
        if (serverStarted) {
            tmux("kill-server");
        }
    }

    @Test
    void decidesRequestsInRealTerminal() throws Exception {
        Path home = temporaryFolder.resolve("home");
        BottleFixture fixture = new BottleFixture(home.resolve("state"));
        BottleState dev = fixture.bottle("dev-abcde");
        BottleState review = fixture.bottle("review-k3x9a");
        QueuedRequest old = fixture.egress(dev, "https://old.example.com/page");
        Files.createDirectories(home.resolve("bottles"));
        Files.writeString(home.resolve("bottles").resolve("broken.md"), "---\nalowlist: []\n---\nA typo.\n");

        start(home);
        String first = awaitScreen("the pending request", screen -> screen.contains("allow egress to old.example.com:443")
                && screen.contains("manifest problem"));
        assertThat(lineWith(first, "manifest problem")).contains("claude-bottle validate");

        QueuedRequest fresh = fixture.egress(review, "https://new.example.com/page");
        String withNew = awaitScreen("the new request", screen -> screen.contains("new.example.com:443"));
        assertThat(lineWith(withNew, "new.example.com")).contains("NEW").contains("review-k3x9a");
        assertThat(lineWith(withNew, "old.example.com")).doesNotContain("NEW");

        tmux("send-keys", "-t", "dash", "Enter");
        String detail = awaitScreen("the detail view", screen -> screen.contains("would allow:"));
        assertThat(detail).contains("https://old.example.com/page", "old.example.com:443 (https)", "justification:");

        tmux("send-keys", "-t", "dash", "a");
        awaitScreen("the note prompt", screen -> screen.contains("Note for approving"));
        tmux("send-keys", "-t", "dash", "-l", "fine for docs");
        tmux("send-keys", "-t", "dash", "Enter");
        awaitScreen("the approval", screen -> screen.contains("approved " + old.id()));

        Decision decision = BottleFixture.queue(dev).decision(old.id()).orElseThrow();
        assertThat(decision.status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(decision.note()).isEqualTo("fine for docs");
        assertThat(Overlay.read(dev).allowlist()).containsExactly("old.example.com");
        assertThat(BottleFixture.queue(review).decision(fresh.id())).isEmpty();

        tmux("send-keys", "-t", "dash", "q");
        // The shell around the dashboard writes its exit status to a file: tmux 3.3 sometimes marks
        // the pane dead before it learns the status, and then never reports one.
        String exit = awaitExitStatus(home.resolve("exit-status"));
        assertThat(exit).as(tmux("capture-pane", "-p", "-t", "dash")).isEqualTo("0");
    }

    @Test
    void ctrlCRestoresTerminal() throws Exception {
        Path home = temporaryFolder.resolve("home");
        BottleFixture fixture = new BottleFixture(home.resolve("state"));
        fixture.egress(fixture.bottle("dev-abcde"), "https://old.example.com/page");

        // The shell traps SIGINT, so it outlives the dashboard and the pane stays alive: tmux shows
        // no cursor state for a dead pane.
        start(home, "trap : INT; ", "; sleep 60");
        awaitScreen("the pending request", screen -> screen.contains("allow egress to old.example.com:443"));
        assertThat(tmux("display-message", "-p", "-t", "dash", "#{alternate_on}").strip()).isEqualTo("1");

        tmux("send-keys", "-t", "dash", "C-c");
        String exit = awaitExitStatus(home.resolve("exit-status"));

        assertThat(exit).isEqualTo("130");
        assertThat(tmux("display-message", "-p", "-t", "dash", "#{alternate_on} #{cursor_flag}").strip())
                .as("the pane left the alternate screen and shows the cursor again").isEqualTo("0 1");
    }

    private void start(Path home) throws IOException, InterruptedException {
        start(home, "", "");
    }

    /** Starts the dashboard in a tmux pane, with shell text {@code before} and {@code after} it. */
    private void start(Path home, String before, String after) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = before + quote(java) + " -cp " + quote(System.getProperty("java.class.path"))
                + " dev.claudebottle.launcher.cli.LauncherMain dashboard; echo $? > "
                + quote(home.resolve("exit-status").toString()) + after;
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "dash", "-x", "120", "-y", "40",
                "-e", "CLAUDE_BOTTLE_HOME=" + home, "-e", "TERM=xterm-256color", command);
        serverStarted = true;
        tmux("set-option", "-t", "dash", "remain-on-exit", "on");
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static String lineWith(String screen, String text) {
        return screen.lines().filter(line -> line.contains(text)).findFirst().orElse("");
    }

    /**
     * Polls capture-pane until {@code condition} holds. tmux sends no event when a pane's content
     * changes, so polling with a deadline is the way to wait for it.
     */
    private String awaitScreen(String what, Predicate<String> condition) throws IOException, InterruptedException {
        return await(what, screen -> {
            if (condition.test(screen)) {
                return true;
            }
            if (paneStatus().startsWith("1")) {
                throw new AssertionError("the dashboard exited while waiting for " + what + "; the screen was:\n"
                        + screen);
            }
            return false;
        }, List.of("capture-pane", "-p", "-t", "dash"));
    }

    private String paneStatus() {
        try {
            return tmux("display-message", "-p", "-t", "dash", "#{pane_dead} #{pane_dead_status}").strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String awaitExitStatus(Path file) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(SCREEN_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(file) && !Files.readString(file).isBlank()) {
                return Files.readString(file).strip();
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("timed out after " + SCREEN_TIMEOUT.toSeconds() + " s waiting for the dashboard to exit");
    }

    private String await(String what, Predicate<String> condition, List<String> query)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(SCREEN_TIMEOUT);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            last = tmux(query.toArray(String[]::new));
            if (condition.test(last)) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new AssertionError("timed out after " + SCREEN_TIMEOUT.toSeconds() + " s waiting for " + what
                + "; the screen was:\n" + last);
    }

    private String tmux(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tmux " + String.join(" ", arguments) + " did not finish within 30 s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError("tmux " + String.join(" ", arguments) + " exited with " + process.exitValue()
                    + ": " + text);
        }
        return text;
    }

    private static boolean tmuxAvailable() {
        try {
            Process process = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
