package dev.claudebottle.launcher.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.TestHome;
import dev.claudebottle.launcher.manifest.internal.ManifestFileReader;
import dev.claudebottle.launcher.manifest.internal.Problems;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds mutated and random manifests through the reader. Whatever the input, loading ends in
 * either a resolved agent or a manifest error; no other exception escapes. The generator is
 * seeded, so a failure repeats, and bounded in count.
 */
class ManifestFuzzTest {

    private static final long SEED = 0x5EED_B077L;
    private static final int PARSE_ROUNDS = 4000;
    private static final int CATALOG_ROUNDS = 400;
    private static final String[] TOKENS = {"yes", "No", "on", "0x1F", "0755", "1.5", ".inf", "2024-01-01", "&a ", "*a",
        "!!str ", "!x ", "|\n", ">\n", "---", "...", "? ", ": ", "- ", "{", "}", "[", "]", ",", "#", "\"", "'", "\t",
        "\n", "  ", "%YAML 1.2\n", "<<: ", "~", "null", "\\", "${X}", "\"?\"", "\u0000", "\uFEFF", "\u00e9", "\r\n",
        "env:\n  ", "git:\n  - Name: ", "extends: ", "cred_proxy:\n  routes:\n    - path: ", "bottle: base\n"};

    @TempDir
    Path temporaryFolder;

    TestHome home;
    List<String> seeds;

    @BeforeEach
    void loadSeeds() throws IOException {
        home = new TestHome(temporaryFolder);
        seeds = List.of(
                OriginalManifestsTest.fixture("bottles/gitea-dev.md"),
                OriginalManifestsTest.fixture("agents/gitea-helper.md"),
                TestHome.manifest("env:\n  A: b\nextends: [base]\negress:\n  allowlist:\n    - \"*.x.test\"\n", "body"),
                TestHome.manifest("bottle: base\nskills: [a, b]\n", "prompt"));
    }

    @Test
    void parserReportsProblemsAndNeverThrows() {
        Random random = new Random(SEED);
        for (int round = 0; round < PARSE_ROUNDS; round++) {
            String input = generate(random);
            Problems problems = new Problems(Path.of("fuzz.md"));
            try {
                ManifestFileReader.parse(input, problems);
            } catch (RuntimeException | StackOverflowError e) {
                fail("round " + round + " threw " + e + " for input " + printable(input), e);
            }
            int lines = input.split("\n", -1).length;
            assertThat(problems.list()).as("round %d: %s", round, printable(input))
                    .allSatisfy(problem -> assertThat(problem.line()).isBetween(0, lines + 1));
        }
    }

    @Test
    void catalogEndsInAgentOrManifestError() {
        Random random = new Random(SEED + 1);
        home.env.put("X", "made-up");
        home.bottle("base", "");
        int resolved = 0;
        for (int round = 0; round < CATALOG_ROUNDS; round++) {
            TestHome.write(home.bottleHome.resolve("bottles/fuzz.md"), generate(random));
            TestHome.write(home.bottleHome.resolve("agents/fuzz.md"), random.nextBoolean()
                    ? generate(random) : TestHome.manifest("bottle: fuzz\n", "prompt"));
            try {
                ManifestCatalog catalog = home.catalog();
                catalog.validateAll();
                catalog.resolve("fuzz");
                resolved++;
            } catch (LauncherException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (RuntimeException | StackOverflowError e) {
                fail("round " + round + " threw " + e, e);
            }
        }
        assertThat(resolved).as("some mutated manifests still load").isPositive();
    }

    private String generate(Random random) {
        if (random.nextInt(10) == 0) {
            return randomText(random, random.nextInt(200));
        }
        StringBuilder text = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            mutate(text, random);
        }
        return text.toString();
    }

    private static void mutate(StringBuilder text, Random random) {
        int at = text.length() == 0 ? 0 : random.nextInt(text.length());
        switch (random.nextInt(5)) {
            case 0 -> text.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
            case 1 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(8)));
            case 2 -> text.insert(at, randomText(random, 1 + random.nextInt(4)));
            case 3 -> duplicateLine(text, random);
            default -> text.setLength(at);
        }
    }

    private static void duplicateLine(StringBuilder text, Random random) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.toString().split("\n", -1)));
        int line = random.nextInt(lines.size());
        lines.add(line, lines.get(line));
        text.setLength(0);
        text.append(String.join("\n", lines));
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(4);
            text.append(kind == 0 ? (char) random.nextInt(0x80) : kind == 1 ? (char) (0x20 + random.nextInt(0x5F))
                    : kind == 2 ? "-:#&*!|>{}[],'\"\n ".charAt(random.nextInt(17)) : (char) random.nextInt(0xD800));
        }
        return text.toString();
    }

    private static String printable(String input) {
        return input.replace("\n", "\\n").replace("\t", "\\t");
    }
}
