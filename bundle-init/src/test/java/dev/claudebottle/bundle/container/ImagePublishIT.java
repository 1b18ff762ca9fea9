package dev.claudebottle.bundle.container;

import static dev.claudebottle.bundle.container.DockerCli.check;
import static dev.claudebottle.bundle.container.DockerCli.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishes the bundle image with scripts/build-images.sh to a real registry on 127.0.0.1 (Debian's
 * docker-registry), removes every local tag, pulls it back and runs the bundle from the pulled image.
 */
@Tag("docker")
class ImagePublishIT {

    private static final Duration SHORT = Duration.ofSeconds(60);
    private static final Duration BUILD = Duration.ofMinutes(15);

    @TempDir
    Path work;

    @Test
    void pushedImageRunsAfterPull() throws Exception {
        assumeTrue(DockerCli.available(), "no Docker engine answers `docker info`; scripts/prepare-machine.sh starts one");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/docker-registry")),
                "docker-registry is missing; scripts/prepare-machine.sh registry installs it");
        String repository = "claude-bottle-test/bundle-" + UUID.randomUUID().toString().substring(0, 6);
        int port = freePort();
        String registry = "127.0.0.1:" + port;
        Process registryProcess = startRegistry(port);
        String pulled = null;
        try {
            awaitRegistry(port);

            Path root = Paths.get("").toAbsolutePath().getParent();
            Process build = new ProcessBuilder("bash", "scripts/build-images.sh", "--skip-jar", "--repository", repository,
                    "--push", registry).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("build.log").toFile()).start();
            assertThat(build.waitFor(BUILD.toMinutes(), TimeUnit.MINUTES)).isTrue();
            assertThat(build.exitValue()).as(Files.readString(work.resolve("build.log"))).isZero();

            String version = check(SHORT, "image", "inspect", "-f",
                    "{{index .Config.Labels \"org.opencontainers.image.version\"}}", repository + ":latest");
            String revision = check(SHORT, "image", "inspect", "-f",
                    "{{index .Config.Labels \"org.opencontainers.image.revision\"}}", repository + ":latest");
            pulled = registry + "/" + repository + ":" + version + "-" + revision;
            for (String tag : new String[] {repository + ":latest", repository + ":" + version,
                    registry + "/" + repository + ":" + version, pulled}) {
                check(SHORT, "rmi", tag);
            }
            assertThat(docker(SHORT, "image", "inspect", pulled).exitCode()).isNotZero();

            check(BUILD, "pull", pulled);
            String help = check(SHORT, "run", "--rm", pulled, "--help");

            assertThat(version).isNotBlank();
            assertThat(revision).isNotBlank().isNotEqualTo("unknown");
            assertThat(help).contains("receive-secrets").contains("run");
            assertThat(check(SHORT, "image", "inspect", "-f", "{{.Config.Healthcheck.Test}}", pulled))
                    .contains("/run/claude-bottle/ready");
        } finally {
            if (pulled != null) {
                docker(SHORT, "rmi", "-f", pulled);
            }
            registryProcess.destroy();
            if (!registryProcess.waitFor(10, TimeUnit.SECONDS)) {
                registryProcess.destroyForcibly();
            }
        }
    }

    private Process startRegistry(int port) throws IOException {
        Path config = work.resolve("registry.yml");
        Files.writeString(config, """
                version: 0.1
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(work.resolve("registry-data"), port));
        return new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("registry.log").toFile()).start();
    }

    private static void awaitRegistry(int port) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                .timeout(Duration.ofSeconds(2)).build();
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the registry on 127.0.0.1:" + port + " did not answer within 10 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
