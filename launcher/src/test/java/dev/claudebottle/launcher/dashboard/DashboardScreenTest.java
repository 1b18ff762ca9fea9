package dev.claudebottle.launcher.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.supervise.queue.Decision;
import dev.claudebottle.supervise.queue.QueuedRequest;
import dev.claudebottle.supervise.queue.RequestStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the full-screen dashboard through a JLine terminal on in-memory pipes: the keys are written
 * up front, and the screen reads them in order, as it would from a user typing fast.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardScreenTest {

    private static final String LEAVE_ALTERNATE_SCREEN = "\033[?1049l";
    private String rawOutput;

    @TempDir
    Path temporaryFolder;

    BottleFixture fixture;
    RecordingBottleControl control;
    BottleState dev;
    Map<String, String> environment = Map.of();
    BottleDirectory directory;
    String screenOutput;

    @BeforeEach
    void createBottle() {
        fixture = new BottleFixture(temporaryFolder.resolve("state"));
        control = new RecordingBottleControl();
        dev = fixture.bottle("dev-abcde");
        directory = BottleDirectory.of(fixture.stateRoot);
    }

    /** Runs the screen with {@code keys} typed; the input stays open, so the keys must end with q. */
    private int type(String keys) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PipedOutputStream keyboard = new PipedOutputStream();
                PipedInputStream input = new PipedInputStream(keyboard, 64 * 1024);
                // An external terminal writes output on the caller's thread, and with echo already off
                // no key typed before the screen enters raw mode is echoed into the output.
                Terminal terminal = new ExternalTerminal(null, "test", "xterm-256color", input, output,
                        StandardCharsets.UTF_8, Terminal.SignalHandler.SIG_DFL, false, new Attributes(),
                        new Size(120, 40))) {
            keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            Dashboard dashboard = new Dashboard(directory, control, environment, Clock.systemUTC());
            int exit = new DashboardScreen(terminal, dashboard, control, () -> Optional.of("1 manifest problem"),
                    temporaryFolder.resolve("logs"), environment, Clock.systemUTC()).run();
            // Cursor moves and styles split the text where the screen redrew only part of a line.
            rawOutput = output.toString(StandardCharsets.UTF_8);
            screenOutput = rawOutput.replaceAll("\u001b(\\[[0-9;?]*[A-Za-z]|[=>])", "")
                    .replace("\b", "");
            return exit;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Decision> decision(QueuedRequest request) {
        return BottleFixture.queue(dev).decision(request.id());
    }

    @Test
    void quitStopsNoBottle() {
        control.running.add(dev.identity());
        fixture.egress(dev, "https://docs.example.com/page");

        int exit = type("q");

        assertThat(exit).isZero();
        assertThat(control.stops).isEmpty();
        assertThat(screenOutput).contains("allow egress to docs.example.com:443", "dev-abcde", "1 manifest problem");
        assertThat(rawOutput.lastIndexOf(LEAVE_ALTERNATE_SCREEN)).isGreaterThan(rawOutput.lastIndexOf("q quit"));
    }

    @Test
    void detailShowsHostToAllow() {
        fixture.egress(dev, "https://docs.example.com/page?q=1");

        type("\r\033q");

        assertThat(screenOutput).contains("https://docs.example.com/page?q=1", "docs.example.com:443 (https)");
    }

    @Test
    void approveWithNote() {
        QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");

        type("aok for docs\rq");

        assertThat(decision(request).orElseThrow().status()).isEqualTo(RequestStatus.APPROVED);
        assertThat(decision(request).orElseThrow().note()).isEqualTo("ok for docs");
        assertThat(Overlay.read(dev).allowlist()).containsExactly("docs.example.com");
    }

    @Test
    void rejectNeedsReason() {
        QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");

        type("r\rrno, use the mirror\rq");

        assertThat(screenOutput).contains("a reason is required");
        assertThat(decision(request).orElseThrow().status()).isEqualTo(RequestStatus.REJECTED);
        assertThat(decision(request).orElseThrow().note()).isEqualTo("no, use the mirror");
    }

    @Test
    void escapeCancelsApproval() {
        QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");

        type("aok\033q");

        assertThat(decision(request)).isEmpty();
    }

    @Test
    void modifyRunsEditorThenApproves() {
        QueuedRequest request = fixture.egress(dev, "https://cdn.docs.example.com/page");
        environment = Map.of("EDITOR", "sed -i s/cdn.docs/docs/");

        type("m\rq");

        assertThat(decision(request).orElseThrow().modified()).isTrue();
        assertThat(Overlay.read(dev).allowlist()).containsExactly("docs.example.com");
    }

    @Test
    void modifyToInvalidInputKeepsPending() {
        QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");
        environment = Map.of("EDITOR", "sed -i s/https:/ftp:/");

        type("mq");

        assertThat(decision(request)).isEmpty();
        assertThat(screenOutput).contains("not approved");
    }

    @Test
    void stopAsksForConfirmation() {
        control.running.add(dev.identity());

        type("\tsno\rsyes\rq");

        assertThat(control.stops).containsExactly(dev.identity());
        assertThat(screenOutput).contains("keeps running");
    }

    @Test
    void enterOnBottleAttaches() {
        control.running.add(dev.identity());

        type("\t\rq");

        assertThat(control.attaches).containsExactly(dev.identity());
    }

    @Test
    void crashRestoresTerminalAndWritesLog() throws IOException {
        directory = () -> {
            throw new IllegalStateException("state root vanished");
        };

        int exit = type("q");

        assertThat(exit).isEqualTo(1);
        int left = rawOutput.lastIndexOf(LEAVE_ALTERNATE_SCREEN);
        int message = rawOutput.indexOf("the dashboard stopped on an unexpected java.lang.IllegalStateException");
        assertThat(left).isPositive();
        assertThat(message).isGreaterThan(left);
        assertThat(screenOutput).contains("state root vanished", "no bottle was stopped", "crash log");
        try (Stream<Path> logs = Files.list(temporaryFolder.resolve("logs"))) {
            Path log = logs.findFirst().orElseThrow();
            assertThat(log.getFileName().toString()).startsWith("dashboard-crash-");
            assertThat(Files.readString(log)).contains("IllegalStateException: state root vanished", "\tat ");
        }
    }
}
