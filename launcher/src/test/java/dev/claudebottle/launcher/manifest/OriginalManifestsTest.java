package dev.claudebottle.launcher.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.credproxy.roles.AgentSetup;
import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.credproxy.route.RouteRole;
import dev.claudebottle.launcher.TestHome;
import dev.claudebottle.launcher.plan.BottlePlan;
import dev.claudebottle.launcher.plan.ContainerRuntime;
import dev.claudebottle.launcher.plan.Identity;
import dev.claudebottle.launcher.plan.Planner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python original's example bottle and agent load unchanged, apart from the
 * IdentityFile path, which points at a key this test creates.
 */
class OriginalManifestsTest {

    private static final String ORIGINAL_KEY_PATH = "/home/example-user/.ssh/id_ed25519_gitea";

    @TempDir
    Path temporaryFolder;

    TestHome home;
    Path key;

    @BeforeEach
    void copyManifests() throws IOException {
        home = new TestHome(temporaryFolder);
        key = home.keyFile("id_ed25519_gitea");
        String bottle = fixture("bottles/gitea-dev.md");
        assertThat(bottle).contains("IdentityFile: " + ORIGINAL_KEY_PATH);
        TestHome.write(home.bottleHome.resolve("bottles/gitea-dev.md"), bottle.replace(ORIGINAL_KEY_PATH, key.toString()));
        TestHome.write(home.bottleHome.resolve("agents/gitea-helper.md"), fixture("agents/gitea-helper.md"));
    }

    private void setTokens() {
        home.env.put("CLAUDE_BOTTLE_OAUTH_TOKEN", "sk-ant-oat01-made-up-for-tests");
        home.env.put("GH_PAT", "ghp_madeUpForTestsOnly000000000000000000");
        home.env.put("NPM_TOKEN", "npm_madeUpForTestsOnly00000000000000000");
    }

    static String fixture(String name) throws IOException {
        try (InputStream input = OriginalManifestsTest.class.getResourceAsStream("/original-manifests/" + name)) {
            assertThat(input).as(name).isNotNull();
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void loadsWithEveryKey() {
        setTokens();

        ResolvedAgent resolved = home.catalog().resolve("gitea-helper");

        assertThat(resolved.agent().bottle()).isEqualTo("gitea-dev");
        assertThat(resolved.agent().skills()).containsExactly("init-prd");
        assertThat(resolved.agent().systemPrompt()).isEqualTo("You help maintain Gitea-hosted projects.");
        Bottle bottle = resolved.bottle();
        assertThat(bottle.env()).containsExactly(
                java.util.Map.entry("GIT_AUTHOR_NAME", new EnvValue.Literal("example-user")));
        assertThat(bottle.git()).singleElement().satisfies(remote -> {
            assertThat(remote.name()).isEqualTo("claude-bottle");
            assertThat(remote.upstream()).isEqualTo("ssh://git@git.example.test:30009/example-user/claude-bottle.git");
            assertThat(remote.identityFile()).isEqualTo(key);
            assertThat(remote.knownHostKey()).startsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5");
        });
        assertThat(bottle.routes()).extracting(Route::path).containsExactly("/anthropic/", "/gh-api/", "/gh-git/", "/npm/");
        assertThat(bottle.routes()).extracting(Route::tokenRef)
                .containsExactly("CLAUDE_BOTTLE_OAUTH_TOKEN", "GH_PAT", "GH_PAT", "NPM_TOKEN");
        assertThat(bottle.routes().get(0).has(RouteRole.ANTHROPIC_BASE_URL)).isTrue();
        assertThat(bottle.routes().get(2).has(RouteRole.GIT_INSTEADOF)).isTrue();
        assertThat(bottle.routes().get(3).has(RouteRole.NPM_REGISTRY)).isTrue();
        assertThat(bottle.allowlist()).containsExactly("github.com", "registry.npmjs.org", "pypi.org");
        assertThat(bottle.dlpAction()).isEqualTo(DlpAction.BLOCK);
        assertThat(bottle.description()).isEqualTo("The `gitea-dev` bottle, for personal projects.");
    }

    @Test
    void rolesPointTheAgentAtCredProxy() {
        setTokens();
        home.skill("init-prd");
        BottlePlan plan = new Planner(() -> new ContainerRuntime("runc", "test"), home.userHome.resolve(".claude/skills"),
                home.bottleHome.resolve("state"), Identity::mint).plan(home.catalog().resolve("gitea-helper"));

        AgentSetup setup = plan.agentSetup();

        assertThat(setup.environment()).containsEntry("ANTHROPIC_BASE_URL", "http://cred-proxy:9099/anthropic");
        assertThat(setup.file(".npmrc")).hasValueSatisfying(file ->
                assertThat(file.content()).isEqualTo("registry=http://cred-proxy:9099/npm/\n"));
        assertThat(setup.file(".gitconfig")).hasValueSatisfying(file ->
                assertThat(file.content()).contains("insteadOf = https://github.com/"));
        assertThat(plan.bottle().git().get(0).upstreamHost()).isEqualTo("git.example.test");
    }

    @Test
    void missingTokensAreNamedOnceEach() {
        home.env.put("GH_PAT", "ghp_madeUpForTestsOnly000000000000000000");

        assertThatThrownBy(() -> home.catalog().resolve("gitea-helper"))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.problems()).extracting(ManifestProblem::reason)
                            .hasSize(2)
                            .anySatisfy(reason -> assertThat(reason).contains("CLAUDE_BOTTLE_OAUTH_TOKEN"))
                            .anySatisfy(reason -> assertThat(reason).contains("NPM_TOKEN"));
                    assertThat(e.problems().toString()).doesNotContain("ghp_madeUp");
                });
    }

    @Test
    void missingKeyFileIsTheOnlyProblem() throws IOException {
        setTokens();
        Files.delete(key);

        assertThatThrownBy(() -> home.catalog().resolve("gitea-helper"))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(problem -> {
                            assertThat(problem.reason()).contains("IdentityFile").contains("does not exist");
                            assertThat(problem.line()).isEqualTo(7);
                        }));
    }

    @Test
    void projectExamplesMatchTheFixtures() throws IOException {
        Path examples = Path.of("..", "examples", "original-manifests");

        assertThat(Files.readString(examples.resolve("bottles/gitea-dev.md"))).isEqualTo(fixture("bottles/gitea-dev.md"));
        assertThat(Files.readString(examples.resolve("agents/gitea-helper.md"))).isEqualTo(fixture("agents/gitea-helper.md"));
    }
}
