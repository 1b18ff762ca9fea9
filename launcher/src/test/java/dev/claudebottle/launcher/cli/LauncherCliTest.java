package dev.claudebottle.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.launcher.TestHome;
import dev.claudebottle.launcher.dashboard.BottleState;
import dev.claudebottle.launcher.dashboard.Overlay;
import dev.claudebottle.launcher.plan.ContainerRuntime;
import dev.claudebottle.launcher.plan.Planner;
import dev.claudebottle.launcher.preflight.Terminal;
import dev.claudebottle.launcher.session.SessionRecord;
import dev.claudebottle.launcher.session.StateDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class LauncherCliTest {

    private static final String GH_TOKEN = "ghp_madeUpForTestsOnly000000000000000000";
    private static final String AUTHOR = "secret-author-name";

    @TempDir
    Path temporaryFolder;

    TestHome home;
    Optional<Terminal> terminal = Optional.empty();

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void createHome() {
        home = new TestHome(temporaryFolder);
    }

    /** A Docker engine address where no engine listens, so that a launch fails fast. */
    private static final String NO_ENGINE = "unix:///nonexistent/docker.sock";

    private Run run(String... args) {
        LauncherContext context = new LauncherContext(home.env, home.userHome, home.workingDirectory, terminal,
                () -> new ContainerRuntime("runc", "test engine without gVisor"), agent -> agent + "-abcde");
        CommandLine commandLine = LauncherMain.commandLine(context);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** Writes bottle "box" with an env literal, a route and a host; agent "dev" uses it. */
    private void writeValidAgent() {
        home.env.put("GH_PAT", GH_TOKEN);
        home.bottle("box", "env:\n  GIT_AUTHOR_NAME: " + AUTHOR + "\n  EMAIL: \"?Your e-mail\"\n"
                + "cred_proxy:\n  routes:\n    - path: /gh-api/\n      upstream: https://api.github.com\n"
                + "      token_ref: GH_PAT\n    - path: /internal/\n      upstream: https://git.example.test:8443\n"
                + "      token_ref: GH_PAT\negress:\n  allowlist:\n    - pypi.org\n    - api.anthropic.com\n"
                + "supervise: true\n");
        home.agent("dev", "bottle: box\nskills:\n  - review\n");
        home.skill("review");
    }

    private static List<Path> listTree(Path root) throws Exception {
        try (var paths = Files.walk(root)) {
            return paths.sorted().toList();
        }
    }

    private static void assertNoStackTrace(Run run) {
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Nested
    class Help {

        @Test
        void topLevelListsCommandsAndExamples() {
            Run run = run("--help");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("Usage: claude-bottle", "Examples:", "CLAUDE_BOTTLE_HOME", "Exit status");
            assertThat(run.out().lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
            for (String command : List.of("start", "resume", "list", "info", "init", "edit", "validate", "version",
                    "completion")) {
                assertThat(run.out()).contains("  " + command + " ");
            }
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"start", "resume", "list", "info", "init", "edit", "validate", "version", "completion"})
        void everyCommandTeachesWithExamples(String command) {
            Run run = run(command, "--help");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("Usage: claude-bottle " + command, "Examples:", "claude-bottle " + command);
            assertThat(run.out().lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
        }

        @Test
        void startHelpExplainsOptions() {
            Run run = run("help", "start");

            assertThat(run.out()).contains("--dry-run", "--yes", "--format", "text or json", "--cwd", "--build-ca",
                    "--bundle-network");
        }

        @Test
        void versionCommandAndOption() {
            Run command = run("version");
            Run option = run("--version");

            assertThat(command.exitCode()).isZero();
            assertThat(command.out()).startsWith("claude-bottle ");
            assertThat(option.out()).isEqualTo(command.out());
        }

        @Test
        void completionScript() {
            Run run = run("completion");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("complete -F", "claude-bottle", "validate");
        }
    }

    @Nested
    class UsageErrors {

        @Test
        void noCommand() {
            Run run = run();

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).startsWith("claude-bottle: error: no command given, see `claude-bottle --help`");
        }

        @Test
        void misspeltCommandGetsSuggestion() {
            Run run = run("strat", "dev");

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).startsWith("claude-bottle: error: Unmatched arguments").contains("start");
        }

        @Test
        void missingAgentParameter() {
            Run run = run("start");

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("Missing required parameter: 'AGENT'", "see `claude-bottle start --help`");
        }

        @Test
        void jsonFormatNeedsDryRun() {
            writeValidAgent();

            Run run = run("start", "dev", "--format", "json");

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("--format json needs --dry-run");
        }

        @Test
        void unknownFormat() {
            Run run = run("start", "dev", "--dry-run", "--format", "yaml");

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).contains("yaml");
        }
    }

    @Nested
    class Start {

        @Test
        void dryRunPrintsPlanAndCreatesNothing() throws Exception {
            writeValidAgent();
            List<Path> before = listTree(home.root);

            Run run = run("start", "dev", "--dry-run");

            assertThat(run.exitCode()).isZero();
            assertThat(run.err()).isEmpty();
            assertThat(run.out()).contains("identity   dev-abcde", "bottle     box", "skills     review",
                    "supervise  on", "runtime    runc (test engine without gVisor)",
                    "EMAIL (asked for at launch)", "GIT_AUTHOR_NAME (set in the manifest)",
                    "/gh-api/ -> https://api.github.com (token from GH_PAT)",
                    "10 hosts allowed (api.anthropic.com, statsig.anthropic.com, sentry.io +7 more)",
                    "decrypts HTTPS");
            assertThat(run.out()).doesNotContain(AUTHOR).doesNotContain(GH_TOKEN);
            assertThat(listTree(home.root)).isEqualTo(before);
        }

        @Test
        void dryRunShowsWorkspaceCopy() throws Exception {
            writeValidAgent();
            Path project = java.nio.file.Files.createDirectories(home.root.resolve("project"));

            Run run = run("start", "dev", "--dry-run", "--cwd", project.toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("workspace  a copy of " + project);
        }

        @Test
        void missingCwdFailsBeforeLaunch() {
            writeValidAgent();

            Run run = run("start", "dev", "--dry-run", "--cwd", home.root.resolve("no-such-folder").toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("no-such-folder into the bottle", "it does not exist",
                    "pass an existing folder to --cwd");
        }

        @Test
        void cwdHoldingBottleHomeIsRefused() {
            writeValidAgent();

            Run run = run("start", "dev", "--dry-run", "--cwd", home.bottleHome.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("it contains the claude-bottle home", "set CLAUDE_BOTTLE_HOME outside it");
        }

        @Test
        void cwdHoldingUserHomeIsRefused() {
            writeValidAgent();

            Run run = run("start", "dev", "--dry-run", "--cwd", home.userHome.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("is or contains your home folder");
        }

        @Test
        void dryRunJsonForScripts() throws Exception {
            writeValidAgent();

            Run run = run("start", "dev", "--dry-run", "--format", "json");

            assertThat(run.exitCode()).isZero();
            JsonNode plan = new ObjectMapper().readTree(run.out());
            assertThat(plan.get("identity").asText()).isEqualTo("dev-abcde");
            assertThat(plan.at("/agent/name").asText()).isEqualTo("dev");
            assertThat(plan.at("/bottle/name").asText()).isEqualTo("box");
            List<String> allowlist = new ArrayList<>();
            plan.at("/egress/allowlist").forEach(host -> allowlist.add(host.asText()));
            List<String> expected = new ArrayList<>(Planner.DEFAULT_ALLOWLIST);
            expected.addAll(List.of("pypi.org", "api.github.com", "git.example.test:8443"));
            assertThat(allowlist).containsExactlyElementsOf(expected);
            assertThat(plan.at("/egress/tls_interception").asBoolean()).isTrue();
            assertThat(plan.at("/bottle/env/0/name").asText()).isEqualTo("GIT_AUTHOR_NAME");
            assertThat(plan.at("/bottle/env/0/source").asText()).isEqualTo("manifest");
            assertThat(plan.at("/bottle/routes/0/token_ref").asText()).isEqualTo("GH_PAT");
            assertThat(plan.at("/runtime/name").asText()).isEqualTo("runc");
            assertThat(plan.at("/agent_setup/environment").isEmpty()).isTrue();
            assertThat(plan.at("/agent_setup/files").isArray()).isTrue();
            assertThat(plan.at("/agent/skill_folders/0/folder").asText()).endsWith("skills/review");
            assertThat(run.out()).doesNotContain(AUTHOR).doesNotContain(GH_TOKEN);
            assertThat(Files.exists(Path.of(plan.get("state_folder").asText()))).isFalse();
        }

        @Test
        void withoutTerminalOrYesIsAnError() {
            writeValidAgent();

            Run run = run("start", "dev");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).contains("claude-bottle preflight for agent dev", "identity   dev-abcde")
                    .endsWith("claude-bottle: error: cannot ask whether to launch agent dev, standard input or output"
                            + " is not a terminal, pass --yes to launch without asking, or --dry-run to only print the"
                            + " plan" + System.lineSeparator());
            assertNoStackTrace(run);
        }

        @Test
        void yesSkipsQuestionAndConnectsToEngine() {
            writeValidAgent();
            home.env.put("DOCKER_HOST", NO_ENGINE);
            ScriptedTerminal scripted = new ScriptedTerminal();
            terminal = Optional.of(scripted);

            Run run = run("start", "dev", "--yes");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(scripted.prompts).isEmpty();
            assertThat(run.err()).contains("claude-bottle: error: cannot reach the Docker engine at " + NO_ENGINE);
            assertThat(home.bottleHome.resolve("state")).doesNotExist();
        }

        @Test
        void promptedEnvWithoutTerminalNamesVariable() {
            writeValidAgent();
            home.env.put("DOCKER_HOST", NO_ENGINE);

            Run run = run("start", "dev", "--yes", "--", "true");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("cannot ask for the value of EMAIL", "there is no terminal",
                    "EMAIL: \"${HOST_VAR}\"");
            assertThat(run.err()).doesNotContain("Docker engine");
            assertThat(home.bottleHome.resolve("state")).doesNotExist();
        }

        @Test
        void answerNoCancels() {
            writeValidAgent();
            ScriptedTerminal scripted = new ScriptedTerminal("n");
            terminal = Optional.of(scripted);

            Run run = run("start", "dev");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(scripted.prompts).containsExactly("launch this agent? [y/N] ");
            assertThat(run.err()).contains("claude-bottle: error: agent dev not launched, the response was not yes");
        }

        @Test
        void answerYesReachesTheLaunchStep() {
            writeValidAgent();
            home.env.put("DOCKER_HOST", NO_ENGINE);
            terminal = Optional.of(new ScriptedTerminal("y"));

            Run run = run("start", "dev");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("cannot reach the Docker engine at " + NO_ENGINE);
        }

        @Test
        void invalidManifestsListEveryProblem() {
            home.bottle("box", "supervise: yes\negress:\n  allowlist:\n    - https://x.example\n");
            home.agent("dev", "bottle: box\ncolour: red\n");

            Run run = run("start", "dev", "--dry-run");

            assertThat(run.exitCode()).isEqualTo(1);
            Path bottle = home.bottleHome.resolve("bottles/box.md");
            Path agent = home.bottleHome.resolve("agents/dev.md");
            assertThat(run.err()).contains(
                    agent + ":3:1: unknown key 'colour' (did you mean 'color'?); valid keys are",
                    bottle + ":2:12: bare word 'yes' is a boolean in YAML 1.1",
                    bottle + ":5:7: egress.allowlist entry 'https://x.example' is a URL",
                    "claude-bottle: error: agent dev cannot be used, its manifests have 3 problems, fix the lines"
                            + " listed above");
            assertNoStackTrace(run);
        }

        @Test
        void debugShowsStackTrace() {
            home.agent("dev", "bottle: missing\n");

            Run run = run("start", "dev", "--dry-run", "--debug");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("ManifestException", "\tat dev.claudebottle.launcher");
        }

        @Test
        void unknownAgent() {
            writeValidAgent();

            Run run = run("start", "deb", "--dry-run");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).startsWith("claude-bottle: error: agent deb not found, there is no deb.md in")
                    .contains("did you mean 'dev'?", "run `claude-bottle list`");
        }

        @Test
        void pathAsAgentNameIsInvalid() {
            writeValidAgent();

            Run run = run("start", "../dev", "--dry-run");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("invalid agent name '../dev'", "a lower-case letter");
        }

        @Test
        void missingSkill() throws Exception {
            writeValidAgent();
            Files.delete(home.userHome.resolve(".claude/skills/review/SKILL.md"));
            Files.delete(home.userHome.resolve(".claude/skills/review"));

            Run run = run("start", "dev", "--dry-run");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("skill review is not installed");
        }

    }

    @Nested
    class Validate {

        @Test
        void allValid() {
            writeValidAgent();

            Run run = run("validate");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).isEqualTo("all 2 manifests are valid" + System.lineSeparator());
        }

        @Test
        void reportsEveryProblemOfEveryFile() {
            writeValidAgent();
            home.bottle("broken", "env:\n  A: on\n  B: \"${UNSET_VARIABLE}\"\n");
            home.agent("other", "bottle: broken\nskills:\n  - absent-skill\n");
            home.agent("lost", "bottle: nowhere\n");

            Run run = run("validate");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("broken.md:3:6: bare word 'on'", "broken.md:4:6: env B copies host variable"
                    + " UNSET_VARIABLE, which is not set", "lost.md: bottle nowhere does not exist",
                    "other.md:4:5: skill absent-skill is not installed");
            assertThat(run.out().lines().count()).isEqualTo(4);
            assertThat(run.err()).contains("claude-bottle: error: validation failed, 4 problems in 3 of 5 files");
        }

        @Test
        void missingSkillOfValidAgent() {
            writeValidAgent();
            home.agent("other", "bottle: box\nskills:\n  - absent-skill\n");

            Run run = run("validate");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("other.md:4:5: skill absent-skill is not installed");
        }

        @Test
        void badlyNamedManifestFailsWithRenameHint() {
            writeValidAgent();
            TestHome.write(home.bottleHome.resolve("bottles/My Bottle.md"), TestHome.manifest("", "A bottle.\n"));

            Run run = run("validate");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("My Bottle.md: the file name is not a manifest name", "rename it to my-bottle.md");
        }

        @Test
        void emptyHome() {
            Run run = run("validate");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("no manifests", "claude-bottle init");
        }

        @Test
        void warningsGoToStandardError() {
            writeValidAgent();
            TestHome.write(home.bottleHome.resolve("agents/README.md"), "notes");

            Run run = run("validate");

            assertThat(run.exitCode()).isZero();
            assertThat(run.err()).startsWith("claude-bottle: warning: skipping").contains("README.md");
        }
    }

    @Nested
    class ListAndInfo {

        @Test
        void listShowsAgentsAndTheirState() {
            writeValidAgent();
            home.agent("broken", "bottle: box\nunknown: 1\n");

            Run run = run("list");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).containsPattern("AGENT +BOTTLE +SOURCE +STATUS")
                    .containsPattern("broken +box +home +1 problem \\(run claude-bottle validate\\)")
                    .containsPattern("dev +box +home +ok")
                    .contains("bottles: box");
        }

        @Test
        void listWithoutAgents() {
            Run run = run("list");

            assertThat(run.out()).contains("no agents", "claude-bottle init");
        }

        @Test
        void infoShowsResolvedConfigWithoutValues() {
            writeValidAgent();

            Run run = run("info", "dev");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("agent dev", "GIT_AUTHOR_NAME", "token from GH_PAT", "prompt", "pypi.org")
                    .doesNotContain(AUTHOR).doesNotContain(GH_TOKEN);
        }

        @Test
        void infoAsJson() throws Exception {
            writeValidAgent();

            Run run = run("info", "dev", "--format", "json");

            JsonNode info = new ObjectMapper().readTree(run.out());
            assertThat(info.at("/bottle/supervise").asBoolean()).isTrue();
            assertThat(info.at("/bottle/env/1/source").asText()).isEqualTo("prompt");
            assertThat(info.has("identity")).isFalse();
            assertThat(run.out()).doesNotContain(AUTHOR).doesNotContain(GH_TOKEN);
        }
    }

    @Nested
    class Init {

        @Test
        void createsValidExamplesThatStart() {
            Run init = run("init");
            Run withoutToken = run("validate");
            home.env.put("CLAUDE_BOTTLE_OAUTH_TOKEN", "sk-ant-oat01-madeUpForTestsOnly");
            Run validate = run("validate");
            Run start = run("start", "example", "--dry-run");

            assertThat(init.exitCode()).isZero();
            assertThat(init.out()).contains("created " + home.bottleHome.resolve("bottles/example.md"),
                    "created " + home.bottleHome.resolve("agents/example.md"), "export CLAUDE_BOTTLE_OAUTH_TOKEN");
            assertThat(withoutToken.exitCode()).isEqualTo(1);
            assertThat(withoutToken.out()).contains("CLAUDE_BOTTLE_OAUTH_TOKEN");
            assertThat(validate.exitCode()).as(validate.out()).isZero();
            assertThat(start.exitCode()).isZero();
            assertThat(start.out()).contains("identity   example-abcde")
                    .contains("/anthropic/ -> https://api.anthropic.com (token from CLAUDE_BOTTLE_OAUTH_TOKEN");
            assertThat(start.out()).doesNotContain("madeUpForTestsOnly");
        }

        @Test
        void neverOverwrites() throws Exception {
            Path agent = home.agent("example", "bottle: mine\n");

            Run run = run("init");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("kept    " + agent);
            assertThat(Files.readString(agent)).contains("bottle: mine");
        }
    }

    @Nested
    class Edit {

        /** Writes an editor script that replaces the file with {@code contents}, one per run. */
        private void useEditor(String... contents) {
            StringBuilder script = new StringBuilder("#!/bin/sh\ncounter=" + home.root.resolve("editor-runs") + "\n"
                    + "n=$(cat \"$counter\" 2>/dev/null || echo 0)\nn=$((n + 1))\necho \"$n\" > \"$counter\"\n");
            for (int i = 0; i < contents.length; i++) {
                Path content = TestHome.write(home.root.resolve("content-" + (i + 1)), contents[i]);
                script.append("[ \"$n\" = ").append(i + 1).append(" ] && cp ").append(content).append(" \"$1\"\n");
            }
            script.append("exit 0\n");
            Path editor = TestHome.write(home.root.resolve("editor.sh"), script.toString());
            home.env.put("EDITOR", "sh " + editor);
        }

        @Test
        void reopensUntilValid() throws Exception {
            writeValidAgent();
            useEditor(TestHome.manifest("bottle: box\nskils: []\n", "x"), TestHome.manifest("bottle: box\n", "Fixed."));
            ScriptedTerminal scripted = new ScriptedTerminal("");
            terminal = Optional.of(scripted);

            Run run = run("edit", "dev");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).contains("unknown key 'skils' (did you mean 'skills'?)");
            assertThat(scripted.prompts).containsExactly(EditCommand.REOPEN_QUESTION);
            assertThat(run.out()).contains("agent dev is valid");
            assertThat(Files.readString(home.bottleHome.resolve("agents/dev.md"))).contains("Fixed.");
        }

        @Test
        void invalidWithoutTerminalFails() {
            writeValidAgent();
            useEditor(TestHome.manifest("bottle: box\nskils: []\n", "x"));

            Run run = run("edit", "dev");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("claude-bottle: error: agent dev is saved but invalid, 1 problem remains");
        }

        @Test
        void failingEditor() {
            writeValidAgent();
            home.env.put("EDITOR", "false");

            Run run = run("edit", "dev");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("the editor false failed, it exited with status 1");
        }

        @Test
        void unknownAgent() {
            Run run = run("edit", "ghost");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("agent ghost not found");
        }
    }

    @Nested
    class Resume {

        @Test
        void malformedIdentity() {
            Run run = run("resume", "Not An Identity");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("a bottle identity is <agent>-<5 lower-case letters or digits>");
        }

        @Test
        void withoutKeptStateSaysSo() {
            Run run = run("resume", "dev-abcde");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("cannot resume bottle dev-abcde, no state was kept for it");
        }

        @Test
        void dryRunShowsApprovedAccess() throws Exception {
            writeValidAgent();
            Path folder = home.bottleHome.resolve("state/dev-abcde");
            new StateDirectory(folder).create();
            new StateDirectory(folder).writeRecord(new SessionRecord("dev-abcde", "dev", null,
                    "2026-12-04T20:00:00Z", 3, List.of()));
            Overlay.empty().withAllowed("docs.example.test", "20261204T200001Z-7ccef6f0")
                    .write(new BottleState("dev-abcde", folder));
            List<Path> before = listTree(home.root);

            Run run = run("resume", "dev-abcde", "--dry-run");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("identity   dev-abcde", "11 hosts allowed",
                    "approved   hosts docs.example.test", "kept from the last session");
            assertThat(listTree(home.root)).isEqualTo(before);
        }
    }
}
