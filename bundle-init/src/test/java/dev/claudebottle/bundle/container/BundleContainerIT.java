package dev.claudebottle.bundle.container;

import static dev.claudebottle.bundle.container.DockerCli.check;
import static dev.claudebottle.bundle.container.DockerCli.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real bundle image on two user-defined networks with a stand-in TLS origin, the way
 * the launcher wires a bottle, and checks each service from a client container on the internal
 * network. Everything runs in containers this test creates and removes.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BundleContainerIT {

    private static final Duration SHORT = Duration.ofSeconds(60);
    private static final Duration BUILD = Duration.ofMinutes(15);
    private static final String TOOLBOX = "claude-bottle-test/toolbox:1";
    private static final String TOKEN = "sk-ant-oat01-" + "Zq8wX3vB7nM2kL9pR4tY6uI1oE5aS0dF3gH8jK2lQ7zC4xV9bN6mT1rW5yU8iO3pA";

    private final String session = "cbit" + UUID.randomUUID().toString().substring(0, 6);
    private final String image = "claude-bottle/bundle:" + session;
    private final String bundle = session + "-bundle";
    private final String client = session + "-client";

    @TempDir
    static Path work;

    private Path configFile;
    private Duration startToHealthy;

    @BeforeAll
    void startBottle() throws Exception {
        assumeTrue(DockerCli.available(), "no Docker engine answers `docker info`; scripts/prepare-machine.sh starts one");
        buildImages();
        writeFiles();

        check(SHORT, "network", "create", "--internal", "--label", "dev.claudebottle.test=" + session, session + "-internal");
        check(SHORT, "network", "create", "--label", "dev.claudebottle.test=" + session, session + "-egress");
        check(SHORT, "run", "-d", "--name", session + "-origin", "--label", "dev.claudebottle.test=" + session,
                "--network", session + "-egress", "--network-alias", "origin.test", "--network-alias", "second.test",
                "-v", work.resolve("origin") + ":/srv:ro", "-w", "/srv", TOOLBOX,
                "openssl", "s_server", "-accept", "8443", "-cert", "/srv/origin.pem", "-key", "/srv/origin-key.pem",
                "-WWW", "-quiet");

        assertThat(check(SHORT, "inspect", "-f", "{{.State.Running}}", session + "-origin"))
                .as("origin container; its log:\n" + docker(SHORT, "logs", session + "-origin").output())
                .isEqualTo("true");

        check(SHORT, "create", "--name", bundle, "--label", "dev.claudebottle.test=" + session,
                "--network", session + "-internal", "--network-alias", "egress", "--network-alias", "cred-proxy",
                "--network-alias", "git-gate", "--network-alias", "supervise",
                "--read-only", "--tmpfs", "/run/claude-bottle:mode=0700,uid=1000,gid=1000", "--tmpfs", "/tmp:exec",
                "-v", work.resolve("config") + ":/etc/claude-bottle:ro", "-v", work.resolve("state") + ":/state",
                image);
        check(SHORT, "network", "connect", session + "-egress", bundle);
        long started = System.nanoTime();
        check(SHORT, "start", bundle);
        String secrets = "{\"tokens\": {\"ORIGIN_TOKEN\": \"" + TOKEN + "\"}}";
        check(SHORT, "exec", "-i", bundle, "true");
        DockerCli.Result received = DockerCli.dockerWithInput(SHORT, secrets.getBytes(StandardCharsets.UTF_8),
                "exec", "-i", bundle, "bundle-init", "receive-secrets");
        assertThat(received.exitCode()).as(received.output()).isZero();
        awaitHealthy();
        startToHealthy = Duration.ofNanos(System.nanoTime() - started);

        String bundleIp = check(SHORT, "inspect", "-f",
                "{{(index .NetworkSettings.Networks \"" + session + "-internal\").IPAddress}}", bundle);
        check(SHORT, "run", "-d", "--name", client, "--label", "dev.claudebottle.test=" + session,
                "--network", session + "-internal", "--dns", bundleIp, TOOLBOX, "sleep", "600");
    }

    @AfterAll
    void removeEverything() {
        System.out.println("--- bundle log ---\n" + docker(SHORT, "logs", bundle).output());
        System.out.println("--- origin log ---\n" + docker(SHORT, "logs", session + "-origin").output());
        for (String container : List.of(client, bundle, session + "-origin")) {
            docker(SHORT, "rm", "-f", "-v", container);
        }
        docker(SHORT, "network", "rm", session + "-internal", session + "-egress");
        docker(BUILD, "rmi", "-f", image);
    }

    @Test
    @Order(1)
    void bundleBecomesHealthy() {
        assertThat(check(SHORT, "inspect", "-f", "{{.State.Health.Status}}", bundle)).isEqualTo("healthy");
        System.out.println("bundle start to healthy: " + startToHealthy.toMillis() + " ms");
    }

    @Test
    @Order(2)
    void caCertificateCanBeCopiedOut() throws Exception {
        String pem = check(SHORT, "exec", bundle, "cat", "/run/claude-bottle/ca.pem");

        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        Files.writeString(work.resolve("bottle-ca.pem"), pem + "\n");
        check(SHORT, "cp", work.resolve("bottle-ca.pem").toString(), client + ":/tmp/bottle-ca.pem");
    }

    @Test
    @Order(3)
    void egressForwardsAllowedHostThroughBumpedTls() {
        String body = clientCurl("--proxy", "http://egress:8888", "--cacert", "/tmp/bottle-ca.pem",
                "https://origin.test:8443/hello.txt");

        assertThat(body).contains("hello from the origin").endsWith("200");
    }

    @Test
    @Order(4)
    void egressRejectsHostNotAllowed() {
        DockerCli.Result result = docker(SHORT, "exec", client, "curl", "-sS", "--max-time", "20", "-w", "%{http_connect}",
                "--proxy", "http://egress:8888", "--cacert", "/tmp/bottle-ca.pem", "https://second.test:8443/hello.txt");

        assertThat(result.stdout().trim()).isEqualTo("403");
        assertThat(result.stderr()).contains("CONNECT tunnel failed, response 403");
    }

    @Test
    @Order(5)
    void credProxyInjectsTokenAndReachesOrigin() {
        String result = clientCurl("-H", "Authorization: Bearer agent-placeholder", "http://cred-proxy:9099/origin/hello.txt");

        assertThat(result).contains("hello from the origin").endsWith("200");
    }

    @Test
    @Order(6)
    void credProxyListsRoutesForUnknownPath() {
        String result = clientCurl("http://cred-proxy:9099/nothing/here");

        assertThat(result).contains("/origin/").endsWith("404");
    }

    @Test
    @Order(7)
    void gitGateAnswersUnknownRepository() {
        DockerCli.Result result = docker(SHORT, "exec", client, "git", "ls-remote", "git://git-gate/unknown.git");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).doesNotContain("Connection refused").doesNotContain("Could not resolve");
    }

    @Test
    @Order(8)
    void superviseAnswersMcpInitialize() {
        String result = clientCurl("-X", "POST", "-H", "Content-Type: application/json",
                "-H", "Accept: application/json, text/event-stream",
                "--data", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}",
                "http://supervise:9100/");

        assertThat(result).contains("\"protocolVersion\"").contains("egress").endsWith("200");
    }

    @Test
    @Order(9)
    void dnsAnswersUnknownNameWithNxdomain() {
        DockerCli.Result lookup = docker(SHORT, "exec", client, "getent", "hosts", "made-up-exfil.test");

        assertThat(lookup.exitCode()).isNotZero();
        assertThat(check(SHORT, "logs", bundle)).contains("answered NXDOMAIN");
    }

    @Test
    @Order(10)
    void sighupAppliesNewAllowlistEntry() throws Exception {
        Files.writeString(configFile, Files.readString(configFile).replace("      allow_private: true\n",
                "      allow_private: true\n    - host: second.test\n      ports: [8443]\n      allow_private: true\n"));

        check(SHORT, "kill", "-s", "HUP", bundle);

        assertThat(awaitCurlStatus("https://second.test:8443/hello.txt", "200")).endsWith("200");
    }

    @Test
    @Order(11)
    void inspectShowsNoSecret() {
        String inspect = check(SHORT, "inspect", bundle) + check(SHORT, "inspect", client);

        assertThat(inspect).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(0, 24));
    }

    @Test
    @Order(12)
    void dockerStopEndsWithinDrainAndExitsZero() {
        long started = System.nanoTime();
        check(Duration.ofSeconds(30), "stop", "-t", "10", bundle);
        Duration stopTime = Duration.ofNanos(System.nanoTime() - started);

        assertThat(check(SHORT, "inspect", "-f", "{{.State.ExitCode}}", bundle)).isEqualTo("0");
        assertThat(stopTime).isLessThan(Duration.ofSeconds(10));
    }

    private String clientCurl(String... args) {
        String[] command = new String[args.length + 8];
        command[0] = "exec";
        command[1] = client;
        command[2] = "curl";
        command[3] = "-sS";
        command[4] = "--max-time";
        command[5] = "20";
        command[6] = "-w";
        command[7] = "\n%{http_code}";
        System.arraycopy(args, 0, command, 8, args.length);
        return docker(SHORT, command).stdout().trim();
    }

    private String awaitCurlStatus(String url, String status) throws InterruptedException {
        String last = "";
        for (int attempt = 0; attempt < 50; attempt++) {
            last = clientCurl("--proxy", "http://egress:8888", "--cacert", "/tmp/bottle-ca.pem", url);
            if (last.endsWith(status)) {
                return last;
            }
            Thread.sleep(100);
        }
        return last;
    }

    private void awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + SHORT.toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            status = check(SHORT, "inspect", "-f", "{{.State.Status}} {{.State.Health.Status}}", bundle);
            if (status.endsWith("healthy") && !status.endsWith("unhealthy") || status.startsWith("exited")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(status).as("bundle state; its log:\n" + docker(SHORT, "logs", bundle).output())
                .isEqualTo("running healthy");
    }

    private void buildImages() throws Exception {
        if (docker(SHORT, "image", "inspect", TOOLBOX).exitCode() != 0) {
            Path context = Files.createDirectories(work.resolve("toolbox"));
            Files.writeString(context.resolve("Dockerfile"), """
                    FROM debian:trixie-slim
                    RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
                        curl openssl git ca-certificates && rm -rf /var/lib/apt/lists/*
                    """);
            check(BUILD, "build", "-t", TOOLBOX, context.toString());
        }
        Path context = Files.createDirectories(work.resolve("bundle-image"));
        Path moduleDir = Paths.get("").toAbsolutePath();
        try (var files = Files.list(moduleDir.resolve("../docker/bundle"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, context.resolve(file.getFileName().toString()));
            }
        }
        Files.copy(moduleDir.resolve("target/bundle-init.jar"), context.resolve("bundle-init.jar"));
        check(BUILD, "build", "-t", image, context.toString());
    }

    private void writeFiles() throws Exception {
        TestCertificates certificates = TestCertificates.forHosts(List.of("origin.test", "second.test"));
        Path origin = Files.createDirectories(work.resolve("origin"));
        Files.writeString(origin.resolve("origin.pem"), certificates.serverPem);
        Files.writeString(origin.resolve("origin-key.pem"), certificates.serverKeyPem);
        Files.writeString(origin.resolve("hello.txt"), "hello from the origin\n");

        Path config = Files.createDirectories(work.resolve("config"));
        Files.writeString(config.resolve("origin-ca.pem"), certificates.caPem);
        configFile = config.resolve("bundle.yaml");
        Files.writeString(configFile, """
                bottle: it-bottle
                secrets_timeout_seconds: 20
                egress:
                  allowlist:
                    - host: origin.test
                      ports: [8443]
                      allow_private: true
                  upstream_ca: [/etc/claude-bottle/origin-ca.pem]
                cred_proxy:
                  routes:
                    - path: /origin/
                      upstream: https://origin.test:8443
                      auth_scheme: Bearer
                      token_ref: ORIGIN_TOKEN
                git:
                  repos: []
                supervise: {}
                """);

        Path state = Files.createDirectories(work.resolve("state"));
        // The bundle runs as uid 1000; the state directory stands in for the launcher's mount.
        new ProcessBuilder("chown", "-R", "1000:1000", state.toString()).start().waitFor();
        for (Path directory : List.of(config, origin)) {
            directory.toFile().setReadable(true, false);
            directory.toFile().setExecutable(true, false);
        }
    }
}
