package dev.claudebottle.gitgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;

import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.claudebottle.gitgate.testing.GitCli;
import dev.claudebottle.gitgate.testing.SshGitUpstream;
import dev.claudebottle.gitgate.testing.UpstreamCommits;

/** Push side of the gate: real git client, real gitleaks, real SSH upstream. */
@Tag("gitleaks")
class GitGatePushTest {

    // Made-up values shaped like real credentials, split so this source file does not match itself.
    static final String AWS_KEY_ID = "AKIA" + "QYLPMN5HHHFPZAM2";
    static final String GITHUB_TOKEN = "ghp_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789";
    static final String PEM_KEY = "-----BEGIN RSA " + "PRIVATE KEY-----\n"
            + "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u\n"
            + "+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzu\n"
            + "-----END RSA " + "PRIVATE KEY-----\n";

    @TempDir
    Path base;
    GateFixture fixture;

    @BeforeAll
    static void requireGitleaks() {
        boolean found = Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "gitleaks")));
        Assumptions.assumeTrue(found, "gitleaks is not on PATH; install it (Debian package gitleaks) to run push tests");
    }

    @BeforeEach
    void setUp() throws IOException {
        fixture = new GateFixture(base);
    }

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    ObjectId upstreamMain() throws IOException {
        return UpstreamCommits.head(fixture.upstreamRepo, "refs/heads/main");
    }

    static Stream<Arguments> secrets() {
        return Stream.of(
                Arguments.of("aws-access-token", "config/aws.env", "region = eu-west-1\naws_access_key_id = " + AWS_KEY_ID + "\n", 2),
                Arguments.of("github-pat", "ci.sh", "#!/bin/sh\n\nexport GH_TOKEN=" + GITHUB_TOKEN + "\n", 3),
                Arguments.of("private-key", "deploy/id_rsa", PEM_KEY, 1));
    }

    @Nested
    class Secrets {

        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.claudebottle.gitgate.GitGatePushTest#secrets")
        void pushWithSecretIsRejected(String rule, String file, String content, int line) throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            ObjectId before = upstreamMain();
            String commit = fixture.git.commitFile(work, file, content, "add " + file);

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("[remote rejected] main -> main (gitleaks found ");
            assertThat(push.output()).contains("rule " + rule + ", file " + file + ", line " + line
                    + ", commit " + commit.substring(0, 12) + ", secret redacted");
            assertThat(push.output()).doesNotContain(AWS_KEY_ID, GITHUB_TOKEN, "MIIEowIBAAKCAQEAu1SU1");
            assertThat(upstreamMain()).isEqualTo(before);
            assertThat(fixture.git.ok(work, "ls-remote", "origin", "main")).startsWith(before.name());
        }

        @Test
        void secretInEarlierOfSeveralNewCommitsIsFound() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            String leaking = fixture.git.commitFile(work, "a.env", "KEY=" + AWS_KEY_ID + "\n", "add key");
            fixture.git.commitFile(work, "a.env", "KEY=from-vault\n", "remove key again");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("commit " + leaking.substring(0, 12));
        }

        @Test
        void secretInCommitMessageIsFound() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            Files.writeString(work.resolve("notes.txt"), "nothing here\n");
            fixture.git.ok(work, "add", "notes.txt");
            fixture.git.ok(work, "commit", "-q", "-m", "use token " + GITHUB_TOKEN);

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("file (commit message)");
        }

        @Test
        void tagPointingAtSecretIsRejected() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.commitFile(work, "a.env", "KEY=" + AWS_KEY_ID + "\n", "add key");
            fixture.git.ok(work, "tag", "-a", "v1", "-m", "release");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "v1");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("[remote rejected] v1 -> v1 (gitleaks found");
            assertThat(UpstreamCommits.head(fixture.upstreamRepo, "refs/tags/v1")).isNull();
        }

        @Test
        void secretInTagMessageIsRejected() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.ok(work, "tag", "-a", "v1", "-m", "deploy with " + GITHUB_TOKEN);

            GitCli.Result push = fixture.git.run(work, "push", "origin", "v1");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("file (tag message)");
        }
    }

    @Nested
    class RepositoryCannotChangeTheRules {

        @Test
        void gitleaksIgnoreFileIsNotHonoured() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            String ignoreAll = "a.env:aws-access-token:1\n" + "source/a.env:aws-access-token:1\n";
            Files.writeString(work.resolve(".gitleaksignore"), ignoreAll);
            fixture.git.commitFile(work, "a.env", "KEY=" + AWS_KEY_ID + "\n", "add key with ignore file");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("rule aws-access-token, file a.env");
        }

        @Test
        void gitleaksTomlInRepositoryIsNotHonoured() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            Files.writeString(work.resolve(".gitleaks.toml"), """
                    title = "pushed"
                    [allowlist]
                    paths = ['''.*''']
                    regexes = ['''AKIA.*''']
                    """);
            fixture.git.commitFile(work, "a.env", "KEY=" + AWS_KEY_ID + "\n", "add key with allowlist");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("rule aws-access-token, file a.env");
        }

        @ParameterizedTest(name = "{0}")
        @org.junit.jupiter.params.provider.ValueSource(strings = {"docs/keys.pdf", "vendor/lib/creds.txt", "node_modules/x/.env", "go.sum"})
        void fileNameCannotExemptContent(String file) throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.commitFile(work, file, "KEY=" + AWS_KEY_ID + "\n", "add " + file);

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("rule aws-access-token, file " + file + ", line 1");
        }

        @Test
        void nulByteCannotHideFile() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            Files.write(work.resolve("blob.dat"), ("\0\1\2header\nKEY=" + AWS_KEY_ID + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            fixture.git.ok(work, "add", "blob.dat");
            fixture.git.ok(work, "commit", "-q", "-m", "add binary-looking file");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("rule aws-access-token, file blob.dat, line 2");
        }

        @Test
        void allowCommentIsNotHonoured() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.commitFile(work, "a.env", "KEY=" + AWS_KEY_ID + " # gitleaks:allow\nT=" + GITHUB_TOKEN
                    + " // GITLEAKS:ALLOW\n", "add keys with allow comments");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("rule aws-access-token, file a.env, line 1", "rule github-pat, file a.env, line 2");
        }
    }

    @Nested
    class Forwarding {

        @Test
        void cleanPushReachesUpstream() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            String commit = fixture.git.commitFile(work, "src/app.py", "print('hello')\n", "add app");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).as(push.output()).isTrue();
            assertThat(upstreamMain().name()).isEqualTo(commit);
        }

        @Test
        void firstPushToEmptyUpstreamIsScannedAndForwarded() throws IOException {
            org.eclipse.jgit.lib.Repository empty = fixture.upstream.repository("fresh");
            empty.close();
            fixture.startGate(builder -> builder.entry(new dev.claudebottle.gitgate.config.MirrorEntry("fresh",
                    fixture.upstream.url("127.0.0.1", "fresh"), null, fixture.upstream.hostKeyLine(), java.util.Map.of())));
            fixture.git.ok(base, "clone", "-q", fixture.gateUrl("fresh.git"), "work");
            Path work = base.resolve("work");
            fixture.git.commitFile(work, "README.md", "# fresh\n", "initial commit");
            fixture.git.commitFile(work, "a.env", "KEY=" + AWS_KEY_ID + "\n", "add key");

            GitCli.Result leaky = fixture.git.run(work, "push", "origin", "main");
            fixture.git.ok(work, "reset", "-q", "--hard", "HEAD~1");
            GitCli.Result clean = fixture.git.run(work, "push", "origin", "main");

            assertThat(leaky.ok()).isFalse();
            assertThat(leaky.output()).contains("rule aws-access-token, file a.env, line 1");
            assertThat(clean.ok()).as(clean.output()).isTrue();
            try (org.eclipse.jgit.lib.Repository fresh = fixture.upstream.repository("fresh")) {
                assertThat(UpstreamCommits.head(fresh, "refs/heads/main").name())
                        .isEqualTo(fixture.git.ok(work, "rev-parse", "HEAD").strip());
            }
        }

        @Test
        void newBranchOnOldHistoryWithFindingsIsAccepted() throws IOException {
            UpstreamCommits.commit(fixture.upstreamRepo, "main", "legacy.env", "KEY=" + AWS_KEY_ID + "\n");
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.ok(work, "checkout", "-q", "-b", "feature");
            String commit = fixture.git.commitFile(work, "feature.txt", "new work\n", "start feature");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "feature");

            assertThat(push.ok()).as(push.output()).isTrue();
            assertThat(UpstreamCommits.head(fixture.upstreamRepo, "refs/heads/feature").name()).isEqualTo(commit);
        }

        @Test
        void editingFileWithOldFindingScansOnlyNewLines() throws IOException {
            UpstreamCommits.commit(fixture.upstreamRepo, "main", "legacy.env", "KEY=" + AWS_KEY_ID + "\n");
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            String commit = fixture.git.commitFile(work, "legacy.env", "KEY=" + AWS_KEY_ID + "\nREGION=eu\n", "add region");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).as(push.output()).isTrue();
            assertThat(upstreamMain().name()).isEqualTo(commit);
        }

        @Test
        void upstreamRejectionReasonReachesPusher() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            ObjectId before = upstreamMain();
            fixture.git.commitFile(work, "a.txt", "clean\n", "clean change");
            fixture.upstream.behaviour(SshGitUpstream.Behaviour.REJECT_PUSHES);

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("upstream rejected: " + SshGitUpstream.HOOK_REASON);
            assertThat(upstreamMain()).isEqualTo(before);
            assertThat(fixture.git.ok(work, "ls-remote", "origin", "main")).startsWith(before.name());
        }

        @Test
        void upstreamNonFastForwardIsReported() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.commitFile(work, "a.txt", "mine\n", "my change");
            ObjectId theirs = UpstreamCommits.commit(fixture.upstreamRepo, "main", "b.txt", "theirs\n");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("main -> main");
            assertThat(upstreamMain()).isEqualTo(theirs);
        }

        @Test
        void forcePushAndDeletionAreForwarded() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.ok(work, "checkout", "-q", "-b", "topic");
            fixture.git.commitFile(work, "t.txt", "one\n", "one");
            fixture.git.ok(work, "push", "-q", "origin", "topic");
            fixture.git.ok(work, "commit", "-q", "--amend", "-m", "one, reworded");
            String amended = fixture.git.ok(work, "rev-parse", "HEAD").strip();

            GitCli.Result force = fixture.git.run(work, "push", "--force", "origin", "topic");
            ObjectId afterForce = UpstreamCommits.head(fixture.upstreamRepo, "refs/heads/topic");
            GitCli.Result delete = fixture.git.run(work, "push", "origin", "--delete", "topic");

            assertThat(force.ok()).as(force.output()).isTrue();
            assertThat(afterForce.name()).isEqualTo(amended);
            assertThat(delete.ok()).as(delete.output()).isTrue();
            assertThat(UpstreamCommits.head(fixture.upstreamRepo, "refs/heads/topic")).isNull();
        }

        @Test
        void upstreamDenyingRewritesKeepsRef() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.ok(work, "checkout", "-q", "-b", "topic");
            fixture.git.commitFile(work, "t.txt", "one\n", "one");
            fixture.git.ok(work, "push", "-q", "origin", "topic");
            ObjectId pushed = UpstreamCommits.head(fixture.upstreamRepo, "refs/heads/topic");
            fixture.git.ok(work, "commit", "-q", "--amend", "-m", "one, reworded");
            fixture.upstream.behaviour(SshGitUpstream.Behaviour.DENY_REWRITES);

            GitCli.Result force = fixture.git.run(work, "push", "--force", "origin", "topic");
            GitCli.Result delete = fixture.git.run(work, "push", "origin", "--delete", "topic");

            assertThat(force.ok()).isFalse();
            assertThat(force.output()).contains("topic -> topic (upstream rejected:");
            assertThat(delete.ok()).isFalse();
            assertThat(delete.output()).contains("(upstream rejected:");
            assertThat(UpstreamCommits.head(fixture.upstreamRepo, "refs/heads/topic")).isEqualTo(pushed);
            assertThat(fixture.git.ok(work, "ls-remote", "origin", "topic")).startsWith(pushed.name());
        }

        @Test
        void cleanTagIsForwarded() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.ok(work, "tag", "-a", "v1", "-m", "release 1");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "v1");

            assertThat(push.ok()).as(push.output()).isTrue();
            assertThat(UpstreamCommits.head(fixture.upstreamRepo, "refs/tags/v1")).isNotNull();
        }
    }

    @Nested
    class MergesAndSeveralRefs {

        @Test
        void mergingOldBranchWithFindingsIsAccepted() throws IOException {
            UpstreamCommits.commit(fixture.upstreamRepo, "legacy", "legacy.env", "KEY=" + AWS_KEY_ID + "\n");
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.commitFile(work, "main.txt", "main work\n", "main work");
            fixture.git.ok(work, "merge", "-q", "--no-edit", "--allow-unrelated-histories", "origin/legacy");
            String merge = fixture.git.ok(work, "rev-parse", "HEAD").strip();

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).as(push.output()).isTrue();
            assertThat(upstreamMain().name()).isEqualTo(merge);
        }

        @Test
        void secretAddedByMergeCommitIsRejected() throws IOException {
            UpstreamCommits.commit(fixture.upstreamRepo, "other", "other.txt", "other work\n");
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.commitFile(work, "main.txt", "main work\n", "main work");
            fixture.git.ok(work, "merge", "-q", "--no-commit", "--allow-unrelated-histories", "origin/other");
            Files.writeString(work.resolve("other.txt"), "other work\nKEY=" + AWS_KEY_ID + "\n");
            fixture.git.ok(work, "add", "other.txt");
            fixture.git.ok(work, "commit", "-q", "--no-edit");
            String merge = fixture.git.ok(work, "rev-parse", "HEAD").strip();

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("rule aws-access-token, file other.txt, line 2, commit " + merge.substring(0, 12));
        }

        @Test
        void onlyRefWithSecretIsRejected() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.ok(work, "checkout", "-q", "-b", "leaky");
            fixture.git.commitFile(work, "a.env", "KEY=" + AWS_KEY_ID + "\n", "add key");
            fixture.git.ok(work, "checkout", "-q", "-b", "clean", "origin/main");
            String clean = fixture.git.commitFile(work, "b.txt", "fine\n", "clean work");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "leaky", "clean");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("[remote rejected] leaky -> leaky (gitleaks found ");
            assertThat(UpstreamCommits.head(fixture.upstreamRepo, "refs/heads/leaky")).isNull();
            assertThat(UpstreamCommits.head(fixture.upstreamRepo, "refs/heads/clean").name()).isEqualTo(clean);
        }

        @Test
        void atomicPushWithOneSecretForwardsNothing() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.ok(work, "checkout", "-q", "-b", "leaky");
            fixture.git.commitFile(work, "a.env", "KEY=" + AWS_KEY_ID + "\n", "add key");
            fixture.git.ok(work, "checkout", "-q", "-b", "clean", "origin/main");
            fixture.git.commitFile(work, "b.txt", "fine\n", "clean work");

            GitCli.Result push = fixture.git.run(work, "push", "--atomic", "origin", "leaky", "clean");

            assertThat(push.ok()).isFalse();
            assertThat(UpstreamCommits.head(fixture.upstreamRepo, "refs/heads/leaky")).isNull();
            assertThat(UpstreamCommits.head(fixture.upstreamRepo, "refs/heads/clean")).isNull();
        }

        @Test
        void controlCharactersInFileNameStayOnOneLine() throws IOException {
            fixture.startGate();
            Path work = fixture.cloneThroughGate("work");
            fixture.git.commitFile(work, "evil\nremote: all clean.env", "KEY=" + AWS_KEY_ID + "\n", "tricky name");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("file evil?remote: all clean.env, line 1");
            assertThat(push.output()).doesNotContain("evil\nremote");
        }
    }

    @Nested
    class FailClosed {

        @Test
        void missingGitleaksRejectsPush() throws IOException {
            fixture.startGate(builder -> builder.entry(fixture.entry()).gitleaksExecutable(base.resolve("no-such-gitleaks")));
            Path work = fixture.cloneThroughGate("work");
            ObjectId before = upstreamMain();
            fixture.git.commitFile(work, "a.txt", "clean\n", "clean change");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("secret scan failed (gitleaks could not be started");
            assertThat(upstreamMain()).isEqualTo(before);
        }

        @Test
        void crashingGitleaksRejectsPush() throws IOException {
            Path crashing = script("crashing-gitleaks", "#!/bin/sh\necho 'panic: runtime error' >&2\nkill -SEGV $$\n");
            fixture.startGate(builder -> builder.entry(fixture.entry()).gitleaksExecutable(crashing));
            Path work = fixture.cloneThroughGate("work");
            ObjectId before = upstreamMain();
            fixture.git.commitFile(work, "a.txt", "clean\n", "clean change");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("secret scan failed (gitleaks failed with exit code");
            assertThat(upstreamMain()).isEqualTo(before);
        }

        @Test
        void gitleaksReportingCleanWithoutReportRejectsPush() throws IOException {
            Path lying = script("lying-gitleaks", "#!/bin/sh\nexit 0\n");
            fixture.startGate(builder -> builder.entry(fixture.entry()).gitleaksExecutable(lying));
            Path work = fixture.cloneThroughGate("work");
            fixture.git.commitFile(work, "a.txt", "clean\n", "clean change");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("gitleaks report is missing or not JSON");
        }

        @Test
        void hangingGitleaksTimesOut() throws IOException {
            Path hanging = script("hanging-gitleaks", "#!/bin/sh\nexec sleep 600\n");
            fixture.startGate(builder -> builder.entry(fixture.entry()).gitleaksExecutable(hanging)
                    .scanTimeout(Duration.ofSeconds(2)));
            Path work = fixture.cloneThroughGate("work");
            fixture.git.commitFile(work, "a.txt", "clean\n", "clean change");

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("gitleaks timed out after 2 s");
        }

        @Test
        void hangingUpstreamFailsPushWithinTimeout() throws IOException {
            fixture.startGate(builder -> builder.entry(fixture.entry()).upstreamTimeout(Duration.ofSeconds(8)));
            Path work = fixture.cloneThroughGate("work");
            ObjectId before = upstreamMain();
            fixture.git.commitFile(work, "a.txt", "clean\n", "clean change");
            fixture.upstream.behaviour(SshGitUpstream.Behaviour.HANG_ON_PUSH);

            GitCli.Result push = fixture.git.run(work, "push", "origin", "main");

            assertThat(push.ok()).isFalse();
            assertThat(push.output()).contains("push to upstream", "timed out after 8 s");
            assertThat(upstreamMain()).isEqualTo(before);
            assertThat(fixture.git.ok(work, "ls-remote", "origin", "main")).startsWith(before.name());
        }

        private Path script(String name, String body) throws IOException {
            Path script = Files.writeString(base.resolve(name), body);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            return script;
        }
    }
}
