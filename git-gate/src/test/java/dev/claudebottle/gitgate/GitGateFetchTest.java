package dev.claudebottle.gitgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebottle.gitgate.config.MirrorEntry;
import dev.claudebottle.gitgate.testing.GitCli;
import dev.claudebottle.gitgate.testing.SshGitUpstream;
import dev.claudebottle.gitgate.testing.UpstreamCommits;

/** Fetch side of the gate against a real SSH upstream and the real git client. */
class GitGateFetchTest {

    @TempDir
    Path base;
    GateFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new GateFixture(base);
    }

    @AfterEach
    void tearDown() throws IOException {
        fixture.close();
    }

    @Nested
    class FreshData {

        @Test
        void cloneAndFetchSeeLaterUpstreamCommits() throws IOException {
            fixture.startGate();
            ObjectId first = UpstreamCommits.commit(fixture.upstreamRepo, "main", "a.txt", "first\n");

            Path clone = fixture.cloneThroughGate("work");
            String cloned = fixture.git.ok(clone, "rev-parse", "HEAD").strip();
            ObjectId second = UpstreamCommits.commit(fixture.upstreamRepo, "main", "b.txt", "second\n");
            fixture.git.ok(clone, "fetch", "-q", "origin");
            String fetched = fixture.git.ok(clone, "rev-parse", "origin/main").strip();

            assertThat(cloned).isEqualTo(first.name());
            assertThat(fetched).isEqualTo(second.name());
        }

        @Test
        void restartedGateReusesMirror() throws IOException {
            fixture.startGate();
            Path clone = fixture.cloneThroughGate("work");
            fixture.gate.close();
            ObjectId later = UpstreamCommits.commit(fixture.upstreamRepo, "main", "c.txt", "after restart\n");

            fixture.startGate();
            fixture.git.ok(clone, "remote", "set-url", "origin", fixture.gateUrl("demo.git"));
            fixture.git.ok(clone, "fetch", "-q", "origin");

            assertThat(fixture.git.ok(clone, "rev-parse", "origin/main").strip()).isEqualTo(later.name());
        }

        @Test
        void fetchPrunesBranchesDeletedUpstream() throws IOException {
            fixture.startGate();
            UpstreamCommits.commit(fixture.upstreamRepo, "topic", "t.txt", "topic\n");
            Path clone = fixture.cloneThroughGate("work");
            String before = fixture.git.ok(clone, "ls-remote", "origin");

            org.eclipse.jgit.lib.RefUpdate delete = fixture.upstreamRepo.updateRef("refs/heads/topic");
            delete.setForceUpdate(true);
            delete.delete();
            String after = fixture.git.ok(clone, "ls-remote", "origin");

            assertThat(before).contains("refs/heads/topic");
            assertThat(after).doesNotContain("refs/heads/topic").contains("refs/heads/main");
        }
    }

    @Nested
    class FailClosed {

        @Test
        void fetchFailsClearlyWhenUpstreamIsDown() throws IOException {
            fixture.startGate();
            Path clone = fixture.cloneThroughGate("work");
            fixture.upstream.close();

            GitCli.Result fetch = fixture.git.run(clone, "fetch", "origin");

            assertThat(fetch.ok()).isFalse();
            assertThat(fetch.output()).contains("git-gate: fetch from upstream", "refusing to serve possibly stale data");
        }

        @Test
        void wrongKnownHostKeyIsRefusedClearly() {
            MirrorEntry pinnedWrong = new MirrorEntry("demo", fixture.upstream.url("127.0.0.1", "demo"), null,
                    SshGitUpstream.unrelatedHostKeyLine(), Map.of());
            fixture.startGate(builder -> builder.entry(pinnedWrong));

            GitCli.Result clone = fixture.git.run(base, "clone", fixture.gateUrl("demo.git"), "work");

            assertThat(clone.ok()).isFalse();
            assertThat(clone.output()).contains("does not match KnownHostKey", "update KnownHostKey");
        }

        @Test
        void missingKnownHostKeyStopsStart() {
            MirrorEntry unpinned = new MirrorEntry("demo", fixture.upstream.url("127.0.0.1", "demo"), null, " ", Map.of());

            assertThatThrownBy(() -> fixture.startGate(builder -> builder.entry(unpinned)))
                    .isInstanceOf(GitGateException.class)
                    .hasMessageContaining("KnownHostKey is missing")
                    .hasMessageContaining("never trusts");
        }

        @Test
        void unacceptedIdentityFailsFetch() {
            fixture.gate = GitGate.start(fixture.config().entry(fixture.entry()).build(),
                    name -> Optional.of(SshGitUpstream.unrelatedPrivateKey()));

            GitCli.Result clone = fixture.git.run(base, "clone", fixture.gateUrl("demo.git"), "work");

            assertThat(clone.ok()).isFalse();
            assertThat(clone.output()).contains("git-gate: fetch from upstream", "failed");
        }

        @Test
        void silentUpstreamTimesOut() throws IOException {
            try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
                MirrorEntry toSilent = new MirrorEntry("demo", "ssh://git@127.0.0.1:" + silent.getLocalPort() + "/demo.git",
                        null, fixture.upstream.hostKeyLine(), Map.of());
                fixture.startGate(builder -> builder.entry(toSilent).upstreamTimeout(Duration.ofSeconds(3)));
                Thread acceptor = new Thread(() -> holdConnections(silent));
                acceptor.setDaemon(true);
                acceptor.start();

                GitCli.Result clone = fixture.git.run(base, "clone", fixture.gateUrl("demo.git"), "work");

                assertThat(clone.ok()).isFalse();
                assertThat(clone.output()).contains("timed out after 3 s");
            }
        }

        @Test
        void identityFileFallbackIsUsed() throws IOException {
            Path key = Files.write(base.resolve("id_demo"), fixture.upstream.clientPrivateKey());
            MirrorEntry withFile = new MirrorEntry("demo", fixture.upstream.url("127.0.0.1", "demo"), key,
                    fixture.upstream.hostKeyLine(), Map.of());
            fixture.gate = GitGate.start(fixture.config().entry(withFile).build(), SecretSource.none());

            GitCli.Result clone = fixture.git.run(base, "clone", "-q", fixture.gateUrl("demo.git"), "work");

            assertThat(clone.output()).isEmpty();
            assertThat(clone.ok()).isTrue();
        }
    }

    @Nested
    class Configuration {

        @Test
        void extraHostsPinUpstreamHostName() {
            MirrorEntry pinned = new MirrorEntry("demo", fixture.upstream.url("git.example.invalid", "demo"), null,
                    fixture.upstream.hostKeyLine(), Map.of("GIT.example.invalid.", "127.0.0.1"));
            fixture.startGate(builder -> builder.entry(pinned));

            String refs = fixture.git.ok(base, "ls-remote", fixture.gateUrl("demo.git"));

            assertThat(refs).contains("refs/heads/main");
        }

        @Test
        void extraHostsNameTargetIsRejectedAtStart() {
            MirrorEntry byName = new MirrorEntry("demo", fixture.upstream.url("git.example.invalid", "demo"), null,
                    fixture.upstream.hostKeyLine(), Map.of("git.example.invalid", "localhost"));

            assertThatThrownBy(() -> fixture.startGate(builder -> builder.entry(byName)))
                    .isInstanceOf(GitGateException.class)
                    .hasMessageContaining("git entry 'demo': ExtraHosts entry 'git.example.invalid' -> 'localhost'")
                    .hasMessageContaining("must map to an IPv4 or IPv6 address");
        }

        @Test
        void nonSshUpstreamIsRejectedAtStart() {
            MirrorEntry https = new MirrorEntry("demo", "https://git.example.invalid/demo.git", null,
                    fixture.upstream.hostKeyLine(), Map.of());

            assertThatThrownBy(() -> fixture.startGate(builder -> builder.entry(https)))
                    .isInstanceOf(GitGateException.class)
                    .hasMessageContaining("git entry 'demo': Upstream")
                    .hasMessageContaining("is not an SSH URL");
        }

        @Test
        void pathLikeNameIsRejectedAtStart() {
            MirrorEntry escaping = new MirrorEntry("../demo", fixture.upstream.url("127.0.0.1", "demo"), null,
                    fixture.upstream.hostKeyLine(), Map.of());

            assertThatThrownBy(() -> fixture.startGate(builder -> builder.entry(escaping)))
                    .isInstanceOf(GitGateException.class)
                    .hasMessageContaining("is not a valid repository name");
        }

        @Test
        void busyPortFailsStartAndReleasesMirrors() throws IOException {
            try (ServerSocket busy = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
                java.net.InetSocketAddress taken = new java.net.InetSocketAddress("127.0.0.1", busy.getLocalPort());

                assertThatThrownBy(() -> fixture.startGate(builder -> builder.entry(fixture.entry()).listenAddress(taken)))
                        .isInstanceOf(GitGateException.class)
                        .hasMessageContaining("git gate could not start");
            }
            fixture.startGate();
            assertThat(fixture.git.ok(base, "ls-remote", fixture.gateUrl("demo.git"))).contains("refs/heads/main");
        }
    }

    @Nested
    class RepositoryNames {

        @Test
        void unknownAndForbiddenNamesGetTheSameAnswer() {
            fixture.startGate();
            String[] names = {"other.git", "../upstream/demo.git", "demo.git/../../upstream/demo.git",
                    ".ssh-home", "mirrors/demo.git", "%2e%2e/demo.git"};

            for (String name : names) {
                GitCli.Result result = fixture.git.run(base, "ls-remote", fixture.gateUrl(name));

                assertThat(result.ok()).as(name).isFalse();
                assertThat(result.output()).as(name).contains("remote error: repository not found;");
            }
        }

        @Test
        void nameWithoutGitSuffixIsServed() {
            fixture.startGate();

            String refs = fixture.git.ok(base, "ls-remote", fixture.gateUrl("demo"));

            assertThat(refs).contains("refs/heads/main");
        }
    }

    private static void holdConnections(ServerSocket server) {
        java.util.List<Socket> held = new java.util.ArrayList<>();
        try {
            while (!server.isClosed()) {
                held.add(server.accept());
            }
        } catch (IOException e) {
            held.forEach(socket -> {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a test socket
                }
            });
        }
    }
}
