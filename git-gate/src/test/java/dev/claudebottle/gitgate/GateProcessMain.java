package dev.claudebottle.gitgate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.claudebottle.gitgate.config.GitGateConfig;
import dev.claudebottle.gitgate.config.MirrorEntry;

/**
 * Runs a gate in its own JVM, for tests that bound its heap and for the benchmark.
 *
 * <p>Arguments are {@code key=value}: {@code root}, {@code gitleaksConfig}, {@code name},
 * {@code upstream}, {@code hostKey} (one argument, spaces included) and {@code identityFile}. Prints {@code LISTENING <port>} once ready and stops when
 * its standard input closes.
 */
public final class GateProcessMain {

    private GateProcessMain() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        MirrorEntry entry = new MirrorEntry(options.get("name"), options.get("upstream"),
                Path.of(options.get("identityFile")), options.get("hostKey"), Map.of());
        GitGateConfig config = GitGateConfig.builder()
                .listenAddress(new InetSocketAddress("127.0.0.1", 0))
                .mirrorRoot(Path.of(options.get("root")))
                .gitleaksConfig(Path.of(options.get("gitleaksConfig")))
                .entry(entry)
                .build();
        try (GitGate gate = GitGate.start(config, SecretSource.none())) {
            System.out.println("LISTENING " + gate.address().getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Runs until the parent closes our standard input.
            }
        }
    }
}
