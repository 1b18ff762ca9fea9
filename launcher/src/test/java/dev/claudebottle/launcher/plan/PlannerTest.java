package dev.claudebottle.launcher.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.launcher.TestHome;
import dev.claudebottle.launcher.manifest.ManifestException;
import dev.claudebottle.launcher.manifest.ResolvedAgent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlannerTest {

    @TempDir
    Path temporaryFolder;

    TestHome home;
    Planner planner;

    @BeforeEach
    void createHome() {
        home = new TestHome(temporaryFolder);
        planner = new Planner(() -> new ContainerRuntime("runc", "test"), home.userHome.resolve(".claude/skills"),
                home.bottleHome.resolve("state"), Identity::mint);
    }

    private ResolvedAgent resolve(String bottleYaml, String agentYaml) {
        home.bottle("box", bottleYaml);
        home.agent("dev", agentYaml);
        return home.catalog().resolve("dev");
    }

    @Test
    void identityIsAgentAndFiveBase36Characters() {
        String identity = Identity.mint("reviewer", new Random(7));

        assertThat(identity).matches("reviewer-[0-9a-z]{5}");
        assertThat(Identity.isWellFormed(identity)).isTrue();
    }

    @Test
    void identitiesDiffer() {
        List<String> identities = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            identities.add(Identity.mint("dev"));
        }

        assertThat(identities).doesNotHaveDuplicates();
    }

    @Test
    void malformedIdentities() {
        assertThat(Identity.isWellFormed("dev")).isFalse();
        assertThat(Identity.isWellFormed("dev-ABCDE")).isFalse();
        assertThat(Identity.isWellFormed("dev-abcd")).isFalse();
        assertThat(Identity.isWellFormed("../x-abcde")).isFalse();
    }

    @Test
    void allowlistIsDefaultsThenManifestThenRouteUpstreams() {
        home.env.put("T", "made-up");

        ResolvedAgent resolved = resolve("egress:\n  allowlist:\n    - pypi.org\n    - sentry.io\ncred_proxy:\n  routes:\n"
                + "    - path: /a/\n      upstream: https://api.github.com/v3\n      token_ref: T\n"
                + "    - path: /b/\n      upstream: https://pypi.org\n      token_ref: T\n"
                + "    - path: /c/\n      upstream: https://git.example.test:8443\n      token_ref: T\n", "bottle: box\n");

        List<String> allowlist = planner.plan(resolved).allowlist();

        List<String> expected = new ArrayList<>(Planner.DEFAULT_ALLOWLIST);
        expected.addAll(List.of("pypi.org", "api.github.com", "git.example.test:8443"));
        assertThat(allowlist).containsExactlyElementsOf(expected);
    }

    @Test
    void defaultAllowlistAsDocumented() {
        assertThat(Planner.DEFAULT_ALLOWLIST).containsExactly("api.anthropic.com", "statsig.anthropic.com", "sentry.io",
                "claude.ai", "platform.claude.com", "downloads.claude.ai", "raw.githubusercontent.com");
    }

    @Test
    void planNamesSkillFoldersAndStateFolder() {
        Path skill = home.skill("review");

        BottlePlan plan = planner.plan(resolve("", "bottle: box\nskills: [review]\n"));

        assertThat(plan.skills()).containsExactly(new BottlePlan.Skill("review", skill));
        assertThat(plan.stateFolder()).isEqualTo(home.bottleHome.resolve("state").resolve(plan.identity()));
        assertThat(plan.stateFolder()).doesNotExist();
        assertThat(plan.identity()).startsWith("dev-");
        assertThat(plan.images()).isEqualTo(BottlePlan.Images.DEFAULT);
    }

    @Test
    void missingSkillFailsThePlan() {
        ResolvedAgent resolved = resolve("", "bottle: box\nskills: [absent]\n");

        assertThatThrownBy(() -> planner.plan(resolved))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(problem -> assertThat(problem.reason())
                                .contains("skill absent is not installed")));
    }

    @Test
    void runtimeFromDockerInfo() {
        assertThat(DockerCliRuntimeProbe.fromRuntimesJson("{\"runc\":{\"path\":\"runc\"},\"runsc\":{\"path\":\"/usr/bin/runsc\"}}")
                .name()).isEqualTo("runsc");
        assertThat(DockerCliRuntimeProbe.fromRuntimesJson("{\"runc\":{\"path\":\"runc\"}}").name()).isEqualTo("runc");
        assertThat(DockerCliRuntimeProbe.fromRuntimesJson("not json").reason()).contains("no runtime list");
    }
}
