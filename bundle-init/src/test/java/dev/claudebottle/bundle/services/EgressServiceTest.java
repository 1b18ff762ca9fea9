package dev.claudebottle.bundle.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.bundle.BundleConfig;
import dev.claudebottle.bundle.secrets.BundleSecrets;
import dev.claudebottle.bundle.supervision.RunningService;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EgressServiceTest {

    @TempDir
    Path folder;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void restartKeepsBottleCa() throws Exception {
        BundleConfig config = BundleConfig.parse("""
                bottle: keeper
                run_dir: %s
                state_dir: %s
                secrets_timeout_seconds: 0
                egress:
                  listen: 127.0.0.1:0
                  allowlist:
                    - api.example.test
                """.formatted(folder.resolve("run"), folder.resolve("state")), "bundle.yaml");
        EgressService service = new EgressService(config, new BundleContext(() -> config, BundleSecrets::empty, group));
        Path certificate = config.caCertificatePath();

        RunningService first = service.start();
        String before = Files.readString(certificate);
        first.stop(Duration.ZERO);
        Files.delete(certificate);
        RunningService second = service.start();
        String after = Files.readString(certificate);
        second.stop(Duration.ZERO);

        assertThat(after).startsWith("-----BEGIN CERTIFICATE-----").isEqualTo(before);
    }

    @Test
    void refusalsPointAtSuperviseWhenItRuns() {
        BundleConfig withSupervise = BundleConfig.parse("""
                bottle: asker
                egress:
                  allowlist: [api.example.test]
                supervise: {}
                """, "bundle.yaml");
        BundleConfig without = BundleConfig.parse("""
                bottle: alone
                egress:
                  allowlist: [api.example.test]
                """, "bundle.yaml");
        BundleContext context = new BundleContext(() -> withSupervise, BundleSecrets::empty, group);

        assertThat(EgressService.egressConfig(withSupervise, context).hints().access()).contains("egress-block");
        assertThat(EgressService.egressConfig(withSupervise, context).hints().secret()).contains("cred-proxy-block");
        assertThat(EgressService.egressConfig(without, context).hints().access()).doesNotContain("supervise");
    }
}
