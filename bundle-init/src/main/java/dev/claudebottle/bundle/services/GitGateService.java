package dev.claudebottle.bundle.services;

import dev.claudebottle.bundle.BundleConfig;
import dev.claudebottle.bundle.BundleConfigException;
import dev.claudebottle.bundle.supervision.BundleService;
import dev.claudebottle.bundle.supervision.RunningService;
import dev.claudebottle.bundle.supervision.ServiceStartException;
import dev.claudebottle.gitgate.GitGate;
import dev.claudebottle.gitgate.GitGateException;
import dev.claudebottle.gitgate.config.GitGateConfig;
import dev.claudebottle.gitgate.config.MirrorEntry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs git-gate with one mirror per {@code git.repos} entry. Its SSH keys come from the secrets
 * the launcher streamed in, and gitleaks gets the rules exported by dlp-rules, written by the
 * bundle itself so nothing in a pushed repository can change them.
 */
final class GitGateService implements BundleService {

    private static final Set<String> ENTRY_KEYS = Set.of("Name", "Upstream", "IdentityFile", "KnownHostKey", "ExtraHosts");

    private final BundleContext context;
    private final InetSocketAddress listen;
    private final List<MirrorEntry> entries;
    private final Path mirrorRoot;
    private final Path gitleaks;

    GitGateService(BundleConfig config, BundleContext context) {
        SectionReader reader = new SectionReader(config.section("git-gate"), "git", config.source(),
                List.of("listen", "repos", "mirror_root", "gitleaks"));
        this.listen = reader.address("listen", "0.0.0.0:" + GitGateConfig.DEFAULT_PORT);
        this.entries = entries(reader.raw("repos"), config.source());
        Object root = reader.raw("mirror_root");
        this.mirrorRoot = root == null ? config.stateDir().resolve("git") : Path.of(String.valueOf(root));
        Object executable = reader.raw("gitleaks");
        this.gitleaks = Path.of(executable == null ? "gitleaks" : String.valueOf(executable));
        this.context = context;
    }

    @Override
    public String name() {
        return "git-gate";
    }

    @Override
    public RunningService start() throws ServiceStartException {
        BundleConfig config = context.config().get();
        Path rules = GitleaksRules.write(config.runDir().resolve("gitleaks.toml"));
        GitGateConfig.Builder builder = GitGateConfig.builder()
                .listenAddress(listen)
                .mirrorRoot(mirrorRoot)
                .gitleaksExecutable(gitleaks)
                .gitleaksConfig(rules);
        entries.forEach(builder::entry);
        GitGate gate;
        try {
            Files.createDirectories(mirrorRoot);
            gate = GitGate.start(builder.build(), entryName -> context.secrets().sshKey(entryName));
        } catch (IOException e) {
            throw new ServiceStartException("git-gate: cannot create the mirror directory " + mirrorRoot, e);
        } catch (GitGateException e) {
            throw new ServiceStartException("git-gate: " + e.getMessage(), e);
        }
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        return new RunningService() {
            @Override
            public CompletionStage<Throwable> failure() {
                return failure;
            }

            @Override
            public void stop(Duration drain) {
                gate.close();
            }
        };
    }

    private static List<MirrorEntry> entries(Object repos, String source) {
        if (repos == null) {
            return List.of();
        }
        if (!(repos instanceof List<?> list)) {
            throw new BundleConfigException(source + ": 'git.repos' must be a list of entries with Name, Upstream and KnownHostKey");
        }
        return list.stream().map(item -> entry(item, source)).toList();
    }

    private static MirrorEntry entry(Object item, String source) {
        if (!(item instanceof Map<?, ?> map)) {
            throw new BundleConfigException(source + ": each 'git.repos' entry must be a mapping with Name, Upstream and KnownHostKey");
        }
        for (Object key : map.keySet()) {
            if (!ENTRY_KEYS.contains(String.valueOf(key))) {
                throw new BundleConfigException(source + ": unknown key '" + key + "' in a git.repos entry; valid keys: "
                        + String.join(", ", ENTRY_KEYS.stream().sorted().toList()));
            }
        }
        Map<String, String> extraHosts = new LinkedHashMap<>();
        if (map.get("ExtraHosts") instanceof Map<?, ?> hosts) {
            hosts.forEach((host, address) -> extraHosts.put(String.valueOf(host), String.valueOf(address)));
        }
        Object identity = map.get("IdentityFile");
        return new MirrorEntry(String.valueOf(map.get("Name")), (String) map.get("Upstream"),
                identity == null ? null : Path.of(String.valueOf(identity)), (String) map.get("KnownHostKey"), extraHosts);
    }
}
