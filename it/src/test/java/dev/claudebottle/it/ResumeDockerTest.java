package dev.claudebottle.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code resume} after a command that failed: same identity, same {@code ~/.claude}. */
@Tag("docker")
class ResumeDockerTest {

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
}
