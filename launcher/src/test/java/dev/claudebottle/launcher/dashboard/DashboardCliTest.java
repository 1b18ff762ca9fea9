package dev.claudebottle.launcher.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.launcher.TestHome;
import dev.claudebottle.launcher.cli.LauncherContext;
import dev.claudebottle.launcher.cli.LauncherMain;
import dev.claudebottle.launcher.plan.ContainerRuntime;
import dev.claudebottle.supervise.queue.Decision;
import dev.claudebottle.supervise.queue.QueuedRequest;
import dev.claudebottle.supervise.queue.RequestStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DashboardCliTest {

    @TempDir
    Path temporaryFolder;

    TestHome home;
    BottleFixture fixture;
    BottleState dev;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void createHome() {
        home = new TestHome(temporaryFolder);
        fixture = new BottleFixture(home.bottleHome.resolve("state"));
        dev = fixture.bottle("dev-abcde");
    }

    private Run run(String... args) {
        LauncherContext context = new LauncherContext(home.env, home.userHome, home.workingDirectory, Optional.empty(),
                () -> new ContainerRuntime("runc", "test engine without gVisor"), agent -> agent + "-abcde");
        CommandLine commandLine = LauncherMain.commandLine(context);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Optional<Decision> decision(QueuedRequest request) {
        return BottleFixture.queue(dev).decision(request.id());
    }

    @Test
    void onceWithoutRequestsSaysSo() {
        Run run = run("dashboard", "--once");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("no pending requests\n");
    }

    @Test
    void oncePrintsPendingOldestFirst() {
        QueuedRequest first = fixture.egress(dev, "https://one.example.com/a");
        BottleState review = fixture.bottle("review-k3x9a");
        QueuedRequest second = fixture.egress(review, "https://two.example.com/b");

        Run run = run("dashboard", "--once");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("2 pending requests, oldest first:\n");
        assertThat(run.out().indexOf(first.id())).isLessThan(run.out().indexOf(second.id()));
        assertThat(run.out()).contains("dev-abcde", "review-k3x9a", "allow egress to one.example.com:443");
    }

    @Test
    void approveAppliesAndRecordsNote() {
        QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");

        Run run = run("dashboard", "approve", request.id(), "--note", "for the docs task");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("approved request " + request.id() + " of bottle dev-abcde")
                .contains("docs.example.com joins the allowlist");
        assertThat(decision(request).orElseThrow().note()).isEqualTo("for the docs task");
        assertThat(Overlay.read(dev).allowlist()).containsExactly("docs.example.com");
    }

    @Test
    void approveWithInputFileModifies() throws IOException {
        QueuedRequest request = fixture.egress(dev, "https://cdn.docs.example.com/page");
        Path input = Files.writeString(temporaryFolder.resolve("narrowed.json"),
                "{\"failed_url\": \"https://docs.example.com/\", \"justification\": \"docs\"}");

        Run run = run("dashboard", "approve", request.id(), "--input", input.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("with modified input");
        assertThat(Overlay.read(dev).allowlist()).containsExactly("docs.example.com");
    }

    @Test
    void approveWithInvalidInputKeepsPending() throws IOException {
        QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");
        Path input = Files.writeString(temporaryFolder.resolve("bad.json"),
                "{\"failed_url\": \"ftp://docs.example.com/\", \"justification\": \"docs\"}");

        Run run = run("dashboard", "approve", request.id(), "--input", input.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("claude-bottle: error: the modified input of request " + request.id());
        assertThat(run.err()).doesNotContain("\tat ");
        assertThat(decision(request)).isEmpty();
    }

    @Test
    void approveUnknownIdFails() {
        Run run = run("dashboard", "approve", "20261204T203501Z-3f9a2c1b");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("request 20261204T203501Z-3f9a2c1b not found")
                .contains("dashboard --once");
    }

    @Test
    void rejectStoresReason() {
        QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");

        Run run = run("dashboard", "reject", request.id(), "--reason", "use the mirror");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("rejected request " + request.id() + " of bottle dev-abcde\n");
        assertThat(decision(request).orElseThrow().status()).isEqualTo(RequestStatus.REJECTED);
        assertThat(decision(request).orElseThrow().note()).isEqualTo("use the mirror");
    }

    @Test
    void rejectWithoutReasonIsUsageError() {
        QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");

        Run run = run("dashboard", "reject", request.id());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--reason");
        assertThat(decision(request)).isEmpty();
    }

    @Test
    void screenWithoutTerminalPointsToOnce() {
        Run run = run("dashboard");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("not a terminal").contains("dashboard --once");
    }

    @Test
    void helpListsSubcommandsWithinEightyColumns() {
        Run run = run("dashboard", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("approve", "reject", "--once");
        assertThat(run.out().lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
    }
}
