package dev.claudebottle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code resume} after a command that failed: same identity, same {@code ~/.claude}. */
@Tag("docker")
class ResumeDockerTest {

    private static final Pattern REQUEST_ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");

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
    void resumeRestoresIdentityAndTranscript() {
        Demo.Run failed = demo.bottle("sh", "-c", "mkdir -p ~/.claude/projects && echo 'turn 1: hello there' "
                + "> ~/.claude/projects/transcript.jsonl && exit 3");

        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.identity()).isNotNull();
        assertThat(failed.stderr()).contains("resume " + failed.identity());

        Demo.Run resumed = demo.launcher(List.of("resume", failed.identity(), "--bundle-network", demo.network, "--"),
                "sh", "-c", "cat ~/.claude/projects/transcript.jsonl");

        assertThat(resumed.exitCode()).isZero();
        assertThat(resumed.identity()).isEqualTo(failed.identity());
        assertThat(resumed.stdout()).contains("turn 1: hello there");
        assertThat(demo.leftovers()).isEmpty();
    }

    /**
     * Access approved while the bottle is gone reaches it on resume: a host the agent requested
     * is allowed, and the agent image is built from the capability the operator approved.
     */
    @Test
    void resumeAppliesApprovedHostAndCapability() throws Exception {
        String dockerfile = "FROM claude-bottle/agent\\nUSER root\\nRUN echo approved-capability > /etc/bottle-capability\\nUSER agent\\n";
        Demo.Run requested = demo.bottle("sh", "-c", String.join("\n",
                Demo.callSupervise("egress-block", "{\"failed_url\":\"https://docs.standin.test/v1/models\","
                        + "\"justification\":\"the API reference\"}", 3),
                Demo.callSupervise("capability-block", "{\"dockerfile\":\"" + dockerfile + "\","
                        + "\"justification\":\"a marker file for the test\"}", 3),
                "exit 3"));
        assertThat(requested.exitCode()).as(requested.stderr()).isEqualTo(3);
        String identity = requested.identity();

        Map<String, String> pending = pendingByTool(identity);
        Demo.Run host = demo.launcher(List.of("dashboard", "approve", pending.get("egress-block"), "--allow-private"));
        Demo.Run capability = demo.launcher(List.of("dashboard", "approve", pending.get("capability-block")));
        assertThat(host.exitCode()).as(host.stdout() + host.stderr()).isZero();
        assertThat(capability.exitCode()).as(capability.stdout() + capability.stderr()).isZero();
        Demo.Run resumed = demo.launcher(List.of("resume", identity, "--bundle-network", demo.network, "--"),
                "sh", "-c", "echo probe=$(curl -sS -o /dev/null -w '%{http_connect}' https://docs.standin.test/v1/models); "
                        + "cat /etc/bottle-capability");

        try {
            assertThat(resumed.exitCode()).as(resumed.stdout() + resumed.stderr()).isZero();
            assertThat(resumed.stderr()).contains("approved   hosts docs.standin.test");
            assertThat(resumed.stdout()).contains("probe=200").contains("approved-capability");
            assertThat(Demo.run(List.of("docker", "image", "inspect", "claude-bottle/bottle-agent:" + identity), 30)
                    .exitCode()).as("the bottle's own image is removed once its session ended cleanly").isNotZero();
        } finally {
            Demo.run(List.of("docker", "image", "rm", "claude-bottle/bottle-agent:" + identity), 60);
        }
        assertThat(demo.leftovers()).isEmpty();
    }

    /** Returns the pending requests of bottle {@code identity} by tool name, from {@code dashboard --once}. */
    private static Map<String, String> pendingByTool(String identity) {
        Demo.Run pending = demo.launcher(List.of("dashboard", "--once"));
        Map<String, String> ids = new HashMap<>();
        for (String line : pending.stdout().split("\n")) {
            Matcher matcher = REQUEST_ID.matcher(line);
            if (line.contains(identity) && matcher.find()) {
                for (String tool : List.of("egress-block", "capability-block")) {
                    if (line.contains(tool)) {
                        ids.put(tool, matcher.group());
                    }
                }
            }
        }
        assertThat(ids).as(pending.stdout() + pending.stderr()).containsOnlyKeys("egress-block", "capability-block");
        return ids;
    }
}
