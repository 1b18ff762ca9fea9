package dev.claudebottle.launcher.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.TestHome;
import dev.claudebottle.launcher.cli.ScriptedTerminal;
import dev.claudebottle.launcher.plan.BottlePlan;
import dev.claudebottle.launcher.plan.ContainerRuntime;
import dev.claudebottle.launcher.plan.Planner;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightReportTest {

    private static final String TOKEN = "glpat-madeUpForTests0000";
    private static final String LITERAL = "literal-value-not-for-display";

    @TempDir
    Path temporaryFolder;

    @Test
    void hostSummary() {
        assertThat(PreflightReport.describeHosts(List.of("a.example"))).isEqualTo("1 host allowed (a.example)");
        assertThat(PreflightReport.describeHosts(List.of("a", "b", "c"))).isEqualTo("3 hosts allowed (a, b, c)");
        assertThat(PreflightReport.describeHosts(List.of("a", "b", "c", "d", "e")))
                .isEqualTo("5 hosts allowed (a, b, c +2 more)");
    }

    @Test
    void showsEveryGrantButNoValue() {
        TestHome home = new TestHome(temporaryFolder);
        home.env.put("GITLAB_TOKEN", TOKEN);
        home.env.put("HOST_NAME_VAR", "host-value-not-for-display");
        Path key = home.keyFile("id_test");
        home.bottle("box", "env:\n  A: " + LITERAL + "\n  B: \"${HOST_NAME_VAR}\"\ngit:\n  - Name: repo\n"
                + "    Upstream: git@git.example.test:me/repo.git\n    IdentityFile: " + key + "\n"
                + "    KnownHostKey: " + TestHome.HOST_KEY + "\ncred_proxy:\n  routes:\n    - path: /gl/\n"
                + "      upstream: https://gitlab.example.test\n      token_ref: GITLAB_TOKEN\n      role: git-insteadof\n"
                + "egress:\n  dlp_action: warn\n");
        home.agent("dev", "bottle: box\n");
        Planner planner = new Planner(() -> new ContainerRuntime("runsc", "the Docker engine offers gVisor"),
                home.userHome.resolve(".claude/skills"), home.bottleHome.resolve("state"), agent -> agent + "-00000");

        BottlePlan plan = planner.plan(home.catalog().resolve("dev"));
        String report = PreflightReport.render(plan);

        assertThat(report).contains("identity   dev-00000", "A (set in the manifest)",
                "B (copied from host variable HOST_NAME_VAR)", "repo -> git@git.example.test:me/repo.git (key " + key,
                "/gl/ -> https://gitlab.example.test (token from GITLAB_TOKEN, role git-insteadof)",
                "(DLP action: warn)", "supervise  off", "runtime    runsc", "8 hosts allowed",
                "roles      ~/.gitconfig (pointing at cred-proxy)");
        assertThat(report).doesNotContain(TOKEN).doesNotContain(LITERAL).doesNotContain("host-value-not-for-display");
    }

    @Test
    void confirmationAcceptsYesOnly() {
        ScriptedTerminal terminal = new ScriptedTerminal(" Y ", "yes", "", "no");

        Confirmation.require("dev", false, Optional.of(terminal));
        Confirmation.require("dev", false, Optional.of(terminal));
        Confirmation.require("dev", true, Optional.empty());

        assertThatThrownBy(() -> Confirmation.require("dev", false, Optional.of(terminal)))
                .isInstanceOf(LauncherException.class).hasMessageContaining("not launched");
        assertThatThrownBy(() -> Confirmation.require("dev", false, Optional.of(terminal)))
                .isInstanceOf(LauncherException.class).hasMessageContaining("not launched");
        assertThatThrownBy(() -> Confirmation.require("dev", false, Optional.of(terminal)))
                .isInstanceOf(LauncherException.class).hasMessageContaining("not launched");
        assertThat(terminal.prompts).hasSize(5).containsOnly(Confirmation.QUESTION);
        assertThatThrownBy(() -> Confirmation.require("dev", false, Optional.empty()))
                .isInstanceOf(LauncherException.class).hasMessageContaining("not a terminal");
    }
}
