package dev.claudebottle.gitgate.config;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of one git gate.
 *
 * @param listenAddress where the {@code git://} daemon listens; port 0 picks a free port
 * @param mirrorRoot directory holding one bare mirror per entry, as {@code <name>.git}
 * @param gitleaksExecutable the gitleaks binary; a bare name is looked up on {@code PATH}
 * @param gitleaksConfig gitleaks TOML config used for every scan; files in pushed repositories
 *     never replace it
 * @param entries the repositories served
 * @param connectTimeout limit for opening the SSH connection to an upstream
 * @param upstreamTimeout limit for one whole fetch or push against an upstream
 * @param scanTimeout limit for one gitleaks run
 */
public record GitGateConfig(
        InetSocketAddress listenAddress, Path mirrorRoot, Path gitleaksExecutable, Path gitleaksConfig,
        List<MirrorEntry> entries, Duration connectTimeout, Duration upstreamTimeout, Duration scanTimeout) {

    /** The port of the {@code git://} protocol. */
    public static final int DEFAULT_PORT = 9418;

    public GitGateConfig {
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(mirrorRoot, "mirrorRoot");
        Objects.requireNonNull(gitleaksExecutable, "gitleaksExecutable");
        Objects.requireNonNull(gitleaksConfig, "gitleaksConfig");
        entries = List.copyOf(entries);
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(upstreamTimeout, "upstreamTimeout");
        requirePositive(scanTimeout, "scanTimeout");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns the entry with this name, or null. */
    public MirrorEntry entry(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * Checks every entry and the gitleaks config file.
     *
     * @throws IllegalArgumentException naming the first invalid field and the fix
     */
    public void validate() {
        Set<String> names = new HashSet<>();
        for (MirrorEntry entry : entries) {
            entry.validate();
            if (!names.add(entry.name().toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("git entry '" + entry.name()
                        + "' is declared twice (names are compared ignoring case); give each entry its own Name");
            }
        }
        if (!Files.isRegularFile(gitleaksConfig)) {
            throw new IllegalArgumentException("gitleaks config " + gitleaksConfig
                    + " is not a readable file; point gitleaksConfig at the TOML exported by dlp-rules");
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Builder with the defaults used in the bundle. */
    public static final class Builder {
        private InetSocketAddress listenAddress = new InetSocketAddress(DEFAULT_PORT);
        private Path mirrorRoot;
        private Path gitleaksExecutable = Path.of("gitleaks");
        private Path gitleaksConfig;
        private final List<MirrorEntry> entries = new ArrayList<>();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration upstreamTimeout = Duration.ofMinutes(5);
        private Duration scanTimeout = Duration.ofMinutes(5);

        private Builder() {
        }

        public Builder listenAddress(InetSocketAddress value) {
            listenAddress = value;
            return this;
        }

        public Builder mirrorRoot(Path value) {
            mirrorRoot = value;
            return this;
        }

        public Builder gitleaksExecutable(Path value) {
            gitleaksExecutable = value;
            return this;
        }

        public Builder gitleaksConfig(Path value) {
            gitleaksConfig = value;
            return this;
        }

        public Builder entry(MirrorEntry value) {
            entries.add(value);
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder upstreamTimeout(Duration value) {
            upstreamTimeout = value;
            return this;
        }

        public Builder scanTimeout(Duration value) {
            scanTimeout = value;
            return this;
        }

        /**
         * Builds the config.
         *
         * @throws IllegalArgumentException when mirrorRoot or gitleaksConfig is not set
         */
        public GitGateConfig build() {
            if (mirrorRoot == null) {
                throw new IllegalArgumentException("git gate mirrorRoot is not set; set it to a writable directory for the mirrors");
            }
            if (gitleaksConfig == null) {
                throw new IllegalArgumentException("git gate gitleaksConfig is not set; set it to the TOML exported by dlp-rules");
            }
            return new GitGateConfig(listenAddress, mirrorRoot, gitleaksExecutable, gitleaksConfig,
                    entries, connectTimeout, upstreamTimeout, scanTimeout);
        }
    }
}
