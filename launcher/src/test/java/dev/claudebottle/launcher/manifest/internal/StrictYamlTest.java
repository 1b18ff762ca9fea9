package dev.claudebottle.launcher.manifest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.launcher.manifest.ManifestProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictYamlTest {

    private static final Path FILE = Path.of("/manifests/bottles/demo.md");

    /** The result of reading {@code yaml} as if it started on line 2 of a manifest file. */
    private record Result(Optional<YamlNode.Mapping> root, List<ManifestProblem> problems) {

        YamlNode value(String key) {
            return root.orElseThrow().entry(key).orElseThrow().value();
        }

        Object scalar(String key) {
            return ((YamlNode.Scalar) value(key)).value();
        }
    }

    private static Result read(String yaml) {
        Problems problems = new Problems(FILE);
        Optional<YamlNode.Mapping> root = new StrictYaml(problems, 2).read(yaml);
        return new Result(root, problems.list());
    }

    private static ManifestProblem single(Result result) {
        assertThat(result.problems()).hasSize(1);
        return result.problems().get(0);
    }

    @Nested
    class AcceptedShapes {

        @Test
        void blockMapOfScalars() {
            Result result = read("name: demo\ncount: 42\nnegative: -7\nzero: 0\nenabled: true\ndisabled: false\n");

            assertThat(result.problems()).isEmpty();
            assertThat(result.scalar("name")).isEqualTo("demo");
            assertThat(result.scalar("count")).isEqualTo(42L);
            assertThat(result.scalar("negative")).isEqualTo(-7L);
            assertThat(result.scalar("zero")).isEqualTo(0L);
            assertThat(result.scalar("enabled")).isEqualTo(true);
            assertThat(result.scalar("disabled")).isEqualTo(false);
        }

        @Test
        void nullForms() {
            Result result = read("a:\nb: null\nc: ~\nd: NULL\n");

            assertThat(result.problems()).isEmpty();
            for (String key : List.of("a", "b", "c", "d")) {
                assertThat(result.scalar(key)).as(key).isNull();
            }
        }

        @Test
        void quotedAmbiguousWordsAreText() {
            Result result = read("a: \"yes\"\nb: 'off'\nc: \"0755\"\nd: \"1.0\"\ne: \"2024-01-02\"\nf: \"*.example.com\"\n");

            assertThat(result.problems()).isEmpty();
            assertThat(result.scalar("a")).isEqualTo("yes");
            assertThat(result.scalar("b")).isEqualTo("off");
            assertThat(result.scalar("c")).isEqualTo("0755");
            assertThat(result.scalar("d")).isEqualTo("1.0");
            assertThat(result.scalar("e")).isEqualTo("2024-01-02");
            assertThat(result.scalar("f")).isEqualTo("*.example.com");
        }

        @Test
        void blockListAndListOfMaps() {
            Result result = read("hosts:\n  - a.example\n  - b.example\nroutes:\n  - path: /x/\n    upstream: https://x.example\n");

            assertThat(result.problems()).isEmpty();
            YamlNode.Sequence hosts = (YamlNode.Sequence) result.value("hosts");
            assertThat(hosts.items()).extracting(item -> ((YamlNode.Scalar) item).value())
                    .containsExactly("a.example", "b.example");
            YamlNode.Sequence routes = (YamlNode.Sequence) result.value("routes");
            assertThat(routes.items().get(0)).isInstanceOf(YamlNode.Mapping.class);
        }

        @Test
        void nestedMapOneLevel() {
            Result result = read("egress:\n  allowlist:\n    - github.com\n  dlp_action: warn\n");

            assertThat(result.problems()).isEmpty();
            YamlNode.Mapping egress = (YamlNode.Mapping) result.value("egress");
            assertThat(egress.entries()).extracting(YamlNode.Entry::key).containsExactly("allowlist", "dlp_action");
        }

        @Test
        void flowListOfScalars() {
            Result result = read("skills: [init-prd, \"review\"]\n");

            assertThat(result.problems()).isEmpty();
            assertThat(((YamlNode.Sequence) result.value("skills")).items()).hasSize(2);
        }

        @Test
        void emptyFlowCollections() {
            Result result = read("env: {}\nskills: []\n");

            assertThat(result.problems()).isEmpty();
            assertThat(((YamlNode.Mapping) result.value("env")).entries()).isEmpty();
            assertThat(((YamlNode.Sequence) result.value("skills")).items()).isEmpty();
        }

        @Test
        void commentsAndEmptyText() {
            assertThat(read("# only a comment\n").problems()).isEmpty();
            assertThat(read("").root()).hasValueSatisfying(root -> assertThat(root.entries()).isEmpty());
        }

        @Test
        void textWithColonsAndUrls() {
            Result result = read("upstream: ssh://git@git.example.test:30009/me/repo.git\nkey: ssh-ed25519 AAAA+/=\n");

            assertThat(result.problems()).isEmpty();
            assertThat(result.scalar("upstream")).isEqualTo("ssh://git@git.example.test:30009/me/repo.git");
        }

        @Test
        void numberLikeTextStaysText() {
            Result result = read("a: 2024-1-2\nb: 2024-01-02 release\nc: v1.0\nd: 1.0-beta\ne: 192.0.2.10\n");

            assertThat(result.problems()).isEmpty();
            assertThat(result.scalar("a")).isEqualTo("2024-1-2");
            assertThat(result.scalar("b")).isEqualTo("2024-01-02 release");
            assertThat(result.scalar("c")).isEqualTo("v1.0");
            assertThat(result.scalar("d")).isEqualTo("1.0-beta");
            assertThat(result.scalar("e")).isEqualTo("192.0.2.10");
        }

        @Test
        void positionsAreFileLinesAndColumns() {
            Result result = read("first: 1\nsecond:\n  inner: x\n");

            YamlNode.Mapping second = (YamlNode.Mapping) result.value("second");
            assertThat(result.root().orElseThrow().entry("first").orElseThrow().keyPosition())
                    .isEqualTo(new Position(2, 1));
            assertThat(second.entry("inner").orElseThrow().keyPosition()).isEqualTo(new Position(4, 3));
        }
    }

    @Nested
    class Rejections {

        @Test
        void anchor() {
            ManifestProblem problem = single(read("base: &b text\n"));

            assertThat(problem.reason()).contains("anchor &b");
            assertThat(problem.line()).isEqualTo(2);
            assertThat(problem.column()).isEqualTo(7);
        }

        @Test
        void aliasWithAnchor() {
            Result result = read("a: &x one\nb: *x\n");

            assertThat(result.problems()).extracting(ManifestProblem::reason)
                    .anySatisfy(reason -> assertThat(reason).contains("anchor &x"))
                    .anySatisfy(reason -> assertThat(reason).contains("alias *x"));
            assertThat(result.root()).isEmpty();
        }

        @Test
        void unquotedWildcardHostReadsAsAlias() {
            ManifestProblem problem = single(read("allowlist:\n  - *.example.com\n"));

            assertThat(problem.reason()).contains("read as a YAML alias");
            assertThat(problem.fix()).contains("\"*.example.com\"");
            assertThat(problem.line()).isEqualTo(3);
            assertThat(problem.column()).isEqualTo(5);
        }

        @Test
        void recursiveAliasDoesNotLoop() {
            Result result = read("a: &x [*x]\n");

            assertThat(result.problems()).isNotEmpty();
            assertThat(result.root()).isEmpty();
        }

        @Test
        void explicitTag() {
            ManifestProblem problem = single(read("count: !!str 5\n"));

            assertThat(problem.reason()).contains("tag");
            assertThat(problem.fix()).contains("remove the tag");
        }

        @Test
        void localTagOnCollection() {
            assertThat(single(read("env: !custom\n  A: b\n")).reason()).contains("tag !custom");
        }

        @Test
        void literalBlockScalar() {
            ManifestProblem problem = single(read("text: |\n  one\n  two\n"));

            assertThat(problem.reason()).contains("block scalar (|)");
            assertThat(problem.line()).isEqualTo(2);
        }

        @Test
        void foldedBlockScalar() {
            assertThat(single(read("text: >\n  one\n  two\n")).reason()).contains("block scalar (>)");
        }

        @Test
        void plainScalarOverSeveralLines() {
            assertThat(single(read("text: one\n  two\n")).reason()).contains("several lines");
        }

        @Test
        void quotedScalarOverSeveralLines() {
            assertThat(single(read("text: \"one\n  two\"\n")).reason()).contains("several lines");
        }

        @Test
        void flowMap() {
            ManifestProblem problem = single(read("env: {A: b}\n"));

            assertThat(problem.reason()).contains("flow map");
            assertThat(problem.fix()).contains("block style");
        }

        @Test
        void flowListHoldingMap() {
            assertThat(single(read("routes: [{path: /x/}]\n")).reason()).contains("flow list");
        }

        @Test
        void duplicateKey() {
            ManifestProblem problem = single(read("env:\n  A: one\nenv:\n  B: two\n"));

            assertThat(problem.reason()).isEqualTo("duplicate key 'env' (first at line 2)");
            assertThat(problem.line()).isEqualTo(4);
        }

        @Test
        void duplicateNestedKey() {
            assertThat(single(read("env:\n  A: one\n  A: two\n")).reason()).contains("duplicate key 'A'");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "n",
            "Y", "N"})
        void yaml11Boolean(String word) {
            ManifestProblem problem = single(read("supervise: " + word + "\n"));

            assertThat(problem.reason()).contains("'" + word + "'").contains("boolean in YAML 1.1");
            assertThat(problem.fix()).contains("quote it").contains("true or false");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"0755", "-017", "0o17", "007"})
        void octalNumber(String word) {
            assertThat(single(read("mode: " + word + "\n")).reason()).contains("octal");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"0x1F", "0b101", "-0xff"})
        void hexOrBinaryNumber(String word) {
            assertThat(single(read("mode: " + word + "\n")).reason()).contains("hexadecimal");
        }

        @Test
        void digitSeparators() {
            assertThat(single(read("port: 1_000\n")).reason()).contains("digit separators");
        }

        @Test
        void base60Number() {
            assertThat(single(read("time: 1:30\n")).reason()).contains("base-60");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"1.0", "3.14", ".5", "1e3", "-2.5E-3"})
        void floatingPointNumber(String word) {
            assertThat(single(read("version: " + word + "\n")).reason()).contains("floating-point");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {".inf", "-.Inf", "+.INF", ".nan", ".NaN"})
        void infinityOrNan(String word) {
            assertThat(single(read("limit: " + word + "\n")).reason()).contains("infinite or not-a-number");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"2024-01-02", "2001-12-14t21:59:43.10-05:00", "2024-1-2 10:00:00", "2001-12-14 21:59:43.10 Z"})
        void date(String word) {
            ManifestProblem problem = single(read("since: " + word + "\n"));

            assertThat(problem.reason()).contains("date");
            assertThat(problem.fix()).contains("quote it");
        }

        @Test
        void ambiguousKey() {
            assertThat(single(read("on: push\n")).reason()).contains("'on'");
        }

        @Test
        void mergeKey() {
            assertThat(single(read("<<: x\n")).reason()).contains("merge key");
        }

        @Test
        void numericKey() {
            assertThat(single(read("1: one\n")).reason()).contains("is not a name");
        }

        @Test
        void complexKey() {
            assertThat(single(read("? [a, b]\n: value\n")).reason()).contains("list or map");
        }

        @Test
        void secondDocument() {
            assertThat(read("a: 1\n--- \nb: 2\n").problems()).extracting(ManifestProblem::reason)
                    .anySatisfy(reason -> assertThat(reason).contains("more than one YAML document"));
        }

        @Test
        void nestingTooDeep() {
            ManifestProblem problem = single(read("a:\n b:\n  c:\n   d:\n    e:\n     f:\n      g: 1\n"));

            assertThat(problem.reason()).contains("nested more than");
        }

        @Test
        void deepFlowNestingStopsEarly() {
            Result result = read("a: " + "[".repeat(5000) + "]".repeat(5000) + "\n");

            assertThat(result.problems()).extracting(ManifestProblem::reason)
                    .anySatisfy(reason -> assertThat(reason).contains("nested more than"));
        }

        @Test
        void tabIndentation() {
            ManifestProblem problem = single(read("env:\n\tA: b\n"));

            assertThat(problem.reason()).startsWith("invalid YAML");
            assertThat(problem.line()).isEqualTo(3);
        }

        @Test
        void unclosedFlowListPointsAtItsStart() {
            ManifestProblem problem = single(read("egress:\n  allowlist:\n    - [github.com\nsupervise: true\n"
                    + "env:\n  A: b\n"));

            assertThat(problem.reason()).isEqualTo("invalid YAML: a [ list that starts here has no closing ]");
            assertThat(problem.line()).isEqualTo(4);
            assertThat(problem.column()).isEqualTo(7);
        }

        @Test
        void unclosedQuotePointsAtItsStart() {
            ManifestProblem problem = single(read("env:\n  A: \"open\n  B: c\n"));

            assertThat(problem.reason()).contains("quoted value that starts here has no closing quote");
            assertThat(problem.line()).isEqualTo(3);
        }

        @Test
        void topLevelList() {
            assertThat(single(read("- a\n- b\n")).reason()).contains("not a map of keys");
        }

        @Test
        void tooLong() {
            assertThat(single(read("a: " + "x".repeat(StrictYaml.MAX_CHARS) + "\n")).reason()).contains("longer than");
        }

        @Test
        void everyProblemInOneFileIsReported() {
            Result result = read("a: yes\nb: 0x10\nc: &x text\nd: |\n  block\nd: again\n");

            assertThat(result.problems()).hasSize(5);
            assertThat(result.problems()).extracting(ManifestProblem::line).containsExactlyInAnyOrder(2, 3, 4, 5, 7);
        }
    }
}
