package dev.claudebottle.gitgate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.jgit.lib.Repository;

import dev.claudebottle.gitgate.config.GitGateConfig;
import dev.claudebottle.gitgate.config.MirrorEntry;
import dev.claudebottle.gitgate.testing.GitCli;
import dev.claudebottle.gitgate.testing.SshGitUpstream;
import dev.claudebottle.gitgate.testing.UpstreamCommits;

/**
 * Measures the time the gate adds to a push of 100 commits and to a fetch, against the same git
 * commands run straight at the SSH upstream (OpenSSH client, pinned host key), in one run on
 * 127.0.0.1. Run it through {@code bench/git-gate.sh}; arguments: {@code [rounds]} (default 5).
 */
public final class GateBenchmark {

    private static final int COMMITS_PER_PUSH = 100;
    private static final int COMMITS_PER_FETCH = 10;

    private GateBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path base = Files.createTempDirectory("git-gate-bench-");
        try (SshGitUpstream upstream = SshGitUpstream.start(Files.createDirectories(base.resolve("upstream")));
                Repository upstreamRepo = upstream.repository("bench")) {
            UpstreamCommits.commit(upstreamRepo, "main", "README.md", "# bench\n");
            Path gitleaksConfig = Files.writeString(base.resolve("gitleaks.toml"), GateFixture.GITLEAKS_TOML);
            GitGateConfig config = GitGateConfig.builder()
                    .listenAddress(new InetSocketAddress("127.0.0.1", 0))
                    .mirrorRoot(base.resolve("mirrors"))
                    .gitleaksConfig(gitleaksConfig)
                    .upstreamTimeout(Duration.ofMinutes(2))
                    .entry(new MirrorEntry("bench", upstream.url("127.0.0.1", "bench"), null, upstream.hostKeyLine(), Map.of()))
                    .build();
            try (GitGate gate = GitGate.start(config, name -> Optional.of(upstream.clientPrivateKey()))) {
                run(base, upstream, upstreamRepo, gate, rounds);
            }
        } finally {
            deleteTree(base);
        }
    }

    private static void run(Path base, SshGitUpstream upstream, Repository upstreamRepo, GitGate gate, int rounds) throws IOException {
        GitCli git = new GitCli(base.resolve("home"));
        Map<String, String> sshEnv = Map.of("GIT_SSH_COMMAND", openSshCommand(base, upstream));
        String gateUrl = "git://127.0.0.1:" + gate.address().getPort() + "/bench.git";
        String directUrl = upstream.url("127.0.0.1", "bench");
        git.ok(base, "clone", "-q", gateUrl, "via-gate");
        requireOk(git.runWithEnv(base, sshEnv, "clone", "-q", directUrl, "direct"));
        Path viaGate = base.resolve("via-gate");
        Path direct = base.resolve("direct");

        List<Long> pushGate = new ArrayList<>();
        List<Long> pushDirect = new ArrayList<>();
        List<Long> fetchGate = new ArrayList<>();
        List<Long> fetchDirect = new ArrayList<>();
        List<Long> noopFetchGate = new ArrayList<>();
        List<Long> noopFetchDirect = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            // Push: 100 new commits on a new branch, once through the gate and once directly.
            String gateBranch = "gate-" + round;
            String directBranch = "direct-" + round;
            makeCommits(git, viaGate, gateBranch, COMMITS_PER_PUSH);
            pushGate.add(timed(() -> git.ok(viaGate, "push", "-q", "origin", gateBranch)));
            makeCommits(git, direct, directBranch, COMMITS_PER_PUSH);
            pushDirect.add(timed(() -> requireOk(git.runWithEnv(direct, sshEnv, "push", "-q", "origin", directBranch))));

            // Fetch: another developer pushed 10 commits upstream; both clones fetch them.
            for (int i = 0; i < COMMITS_PER_FETCH; i++) {
                UpstreamCommits.commit(upstreamRepo, "other-" + round, "o.txt", "round " + round + " commit " + i + "\n");
            }
            fetchGate.add(timed(() -> git.ok(viaGate, "fetch", "-q", "origin")));
            fetchDirect.add(timed(() -> requireOk(git.runWithEnv(direct, sshEnv, "fetch", "-q", "origin"))));
            noopFetchGate.add(timed(() -> git.ok(viaGate, "fetch", "-q", "origin")));
            noopFetchDirect.add(timed(() -> requireOk(git.runWithEnv(direct, sshEnv, "fetch", "-q", "origin"))));
        }
        System.out.printf("git-gate benchmark: %d rounds, medians in ms (all rounds in brackets)%n", rounds);
        report("push of " + COMMITS_PER_PUSH + " commits", pushGate, pushDirect);
        report("fetch of " + COMMITS_PER_FETCH + " new commits", fetchGate, fetchDirect);
        report("fetch with nothing new", noopFetchGate, noopFetchDirect);
    }

    private static void makeCommits(GitCli git, Path work, String branch, int count) throws IOException {
        git.ok(work, "checkout", "-q", "-b", branch, "origin/main");
        for (int i = 0; i < count; i++) {
            Path file = work.resolve("src/module" + (i % 10) + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "change " + i + " on " + branch + "\nvalue = " + (i * 31) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            git.ok(work, "add", "-A");
            git.ok(work, "commit", "-q", "-m", "commit " + i + " on " + branch);
        }
    }

    private static String openSshCommand(Path base, SshGitUpstream upstream) throws IOException {
        Path key = base.resolve("id_bench");
        Files.write(key, upstream.clientPrivateKey());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path knownHosts = Files.writeString(base.resolve("known_hosts"),
                "[127.0.0.1]:" + upstream.port() + " " + upstream.hostKeyLine() + "\n");
        return "ssh -F /dev/null -i " + key + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes"
                + " -o UserKnownHostsFile=" + knownHosts;
    }

    private static GitCli.Result requireOk(GitCli.Result result) {
        if (!result.ok()) {
            throw new IllegalStateException("git failed:\n" + result.output());
        }
        return result;
    }

    private static long timed(Runnable action) {
        long started = System.nanoTime();
        action.run();
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void report(String what, List<Long> gate, List<Long> direct) {
        long gateMedian = median(gate);
        long directMedian = median(direct);
        System.out.printf("  %-28s via gate %6d  direct %6d  added %6d  %s / %s%n",
                what, gateMedian, directMedian, gateMedian - directMedian, gate, direct);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
