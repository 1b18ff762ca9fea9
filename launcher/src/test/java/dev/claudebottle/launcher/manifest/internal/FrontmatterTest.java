package dev.claudebottle.launcher.manifest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.launcher.manifest.ManifestProblem;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FrontmatterTest {

    private final Problems problems = new Problems(Path.of("agent.md"));

    @Test
    void splitsYamlAndBody() {
        Optional<Frontmatter> split = Frontmatter.split("---\nbottle: box\n---\n\nYou review code.\n\n", problems);

        assertThat(problems.list()).isEmpty();
        assertThat(split).hasValueSatisfying(frontmatter -> {
            assertThat(frontmatter.yaml()).isEqualTo("bottle: box\n");
            assertThat(frontmatter.firstYamlLine()).isEqualTo(2);
            assertThat(frontmatter.body()).isEqualTo("You review code.");
        });
    }

    @Test
    void acceptsCarriageReturnsAndByteOrderMark() {
        Optional<Frontmatter> split = Frontmatter.split("\uFEFF---\r\nbottle: box\r\n---\r\nBody\r\n", problems);

        assertThat(problems.list()).isEmpty();
        assertThat(split.map(Frontmatter::body)).contains("Body");
    }

    @Test
    void bodyMayContainDelimiterLines() {
        Optional<Frontmatter> split = Frontmatter.split("---\na: 1\n---\nfirst\n---\nsecond\n", problems);

        assertThat(split.map(Frontmatter::body)).contains("first\n---\nsecond");
    }

    @Test
    void emptyFrontmatterAndBody() {
        Optional<Frontmatter> split = Frontmatter.split("---\n---\n", problems);

        assertThat(split).hasValueSatisfying(frontmatter -> {
            assertThat(frontmatter.yaml()).isEmpty();
            assertThat(frontmatter.body()).isEmpty();
        });
    }

    @Test
    void missingOpeningLine() {
        assertThat(Frontmatter.split("bottle: box\n", problems)).isEmpty();

        assertThat(problems.list()).singleElement().satisfies(problem -> {
            assertThat(problem.reason()).contains("does not start with a --- line");
            assertThat(problem.line()).isEqualTo(1);
        });
    }

    @Test
    void missingClosingLine() {
        assertThat(Frontmatter.split("---\nbottle: box\nskills: []\n", problems)).isEmpty();

        assertThat(problems.list()).extracting(ManifestProblem::reason).singleElement().asString()
                .contains("no closing --- line");
    }

    @Test
    void emptyFile() {
        assertThat(Frontmatter.split("", problems)).isEmpty();

        assertThat(problems.list()).hasSize(1);
    }
}
