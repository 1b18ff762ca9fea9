package dev.claudebottle.gitgate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.eclipse.jgit.lib.Repository;

import dev.claudebottle.dlp.GitleaksExport;
import dev.claudebottle.dlp.RuleSet;

import dev.claudebottle.gitgate.config.GitGateConfig;
import dev.claudebottle.gitgate.config.MirrorEntry;
import dev.claudebottle.gitgate.testing.GitCli;
import dev.claudebottle.gitgate.testing.SshGitUpstream;
import dev.claudebottle.gitgate.testing.UpstreamCommits;

/** One SSH upstream with repository {@code demo}, a gate in front of it, and an isolated git client. */
final class GateFixture implements AutoCloseable {

    /** gitleaks config for the tests: dlp-rules' built-in rules extending gitleaks' defaults, as in the bundle. */
    static final String GITLEAKS_TOML = GitleaksExport.of(RuleSet.builtIn()).toml();

    final Path base;
    final SshGitUpstream upstream;
    final Repository upstreamRepo;
    final GitCli git;
    final Path gitleaksConfig;
    GitGate gate;

    GateFixture(Path base) throws IOException {
        this.base = base;
        upstream = SshGitUpstream.start(Files.createDirectories(base.resolve("upstream")));
        upstreamRepo = upstream.repository("demo");
        UpstreamCommits.commit(upstreamRepo, "main", "README.md", "# demo\n");
        git = new GitCli(base.resolve("home"));
        gitleaksConfig = Files.writeString(base.resolve("gitleaks.toml"), GITLEAKS_TOML);
    }

    /** Returns the entry most tests use: the upstream reached by host name through ExtraHosts. */
    MirrorEntry entry() {
        return new MirrorEntry("demo", upstream.url("git.upstream.test", "demo"), null,
                upstream.hostKeyLine(), Map.of("git.upstream.test", "127.0.0.1"));
    }

    GitGateConfig.Builder config() {
        return GitGateConfig.builder()
                .listenAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
                .mirrorRoot(base.resolve("mirrors"))
                .gitleaksConfig(gitleaksConfig)
                .connectTimeout(Duration.ofSeconds(5))
                .upstreamTimeout(Duration.ofSeconds(20))
                .scanTimeout(Duration.ofSeconds(60));
    }

    /** Starts the gate with {@link #entry()} and the upstream's accepted key from the secret source. */
    GitGate startGate() {
        return startGate(builder -> builder.entry(entry()));
    }

    GitGate startGate(UnaryOperator<GitGateConfig.Builder> customise) {
        gate = GitGate.start(customise.apply(config()).build(), secrets());
        return gate;
    }

    SecretSource secrets() {
        return name -> Optional.of(upstream.clientPrivateKey());
    }

    String gateUrl(String name) {
        return "git://127.0.0.1:" + gate.address().getPort() + "/" + name;
    }

    /** Clones {@code demo.git} through the gate into a new directory. */
    Path cloneThroughGate(String dirName) {
        git.ok(base, "clone", "-q", gateUrl("demo.git"), dirName);
        return base.resolve(dirName);
    }

    @Override
    public void close() throws IOException {
        if (gate != null) {
            gate.close();
        }
        upstreamRepo.close();
        upstream.close();
    }
}
