package dev.claudebottle.credproxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.credproxy.CredProxy;
import dev.claudebottle.credproxy.CredProxyConfig;
import dev.claudebottle.credproxy.TokenBinding;
import dev.claudebottle.credproxy.TokenSource;
import dev.claudebottle.credproxy.route.RouteTable;
import dev.claudebottle.credproxy.testing.TestPki;
import dev.claudebottle.credproxy.testing.TlsOrigin;
import dev.claudebottle.egress.EgressConfig;
import dev.claudebottle.egress.EgressProxy;
import dev.claudebottle.egress.config.AllowRule;
import dev.claudebottle.egress.config.CredentialBinding;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * cred-proxy in front of a real egress-proxy, which bumps each tunnel with its own CA, checks
 * the allowlist and DLP, and reaches a TLS origin on 127.0.0.1 through its resolve map.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThroughEgressProxyTest {

    static final String ORIGIN_TOKEN = "ghp_ThroughEgress0000000000000000000000";
    static final String AGENT_VALUE = "agent-held-credential-value";
    /** A made-up token in GitHub's format, which egress-proxy's DLP must stop. */
    static final String LEAKED = "ghp_Zq8Lm3Xw7Rt1Vp9Kc4Nb6Hy2Jd5Fg0Ts8WuE";

    @TempDir
    static Path directory;

    private EventLoopGroup group;
    private TlsOrigin origin;
    private EgressProxy egress;
    private CredProxy proxy;
    private RouteTable routes;
    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);
    private final BlockingQueue<String> logLines = new LinkedBlockingQueue<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start() throws IOException {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        TestPki originPki = new TestPki("origin CA");
        origin = new TlsOrigin(group, originPki.serverContext("origin.test", "other.test"));
        int port = origin.port();
        routes = RouteTable.parse(List.of(
                CredProxyForwardingTest.route("/api/", "https://origin.test:" + port + "/base", "Bearer", "ORIGIN_TOKEN"),
                CredProxyForwardingTest.route("/unlisted/", "https://unlisted.test:" + port, "Bearer", "UNLISTED_TOKEN")));
        TokenSource tokens = TokenSource.of(Map.of("ORIGIN_TOKEN", ORIGIN_TOKEN,
                "UNLISTED_TOKEN", "ghp_Unlisted000000000000000000000000000"));

        EgressConfig.Builder egressConfig = EgressConfig.builder()
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .allow(new AllowRule("origin.test", List.of(port), true))
                .allow(new AllowRule("other.test", List.of(port), true))
                .resolve("origin.test", List.of(InetAddress.getLoopbackAddress()))
                .resolve("other.test", List.of(InetAddress.getLoopbackAddress()))
                .upstreamCa(writePem(originPki));
        // NOTE: egress-proxy rejects two bindings with the same token_ref. A token shared by routes
        // to different hosts cannot be bound yet, so each token here serves one host.
        for (TokenBinding binding : TokenBinding.of(routes, tokens)) {
            egressConfig.credential(CredentialBinding.ofValue(binding.tokenRef(),
                    binding.value().getBytes(StandardCharsets.UTF_8), binding.host()));
        }
        egress = EgressProxy.start(egressConfig.build(), group);

        proxy = CredProxy.start(CredProxyConfig.builder()
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .routes(routes)
                .egressProxy(egress.address())
                .trust(egress.caCertificate())
                .allocator(allocator)
                .requestLog(logLines::add)
                .build(), tokens);
    }

    private Path writePem(TestPki pki) throws IOException {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        encoded(pki))
                + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(directory.resolve("origin-ca.pem"), pem);
    }

    private static byte[] encoded(TestPki pki) {
        try {
            return pki.caCertificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new AssertionError("a freshly minted certificate encodes", e);
        }
    }

    @AfterAll
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (egress != null) {
            egress.close();
        }
        if (origin != null) {
            origin.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        origin.received().clear();
        logLines.clear();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + proxy.address().getPort() + path);
    }

    private TlsOrigin.Received nextReceived() throws InterruptedException {
        TlsOrigin.Received received = origin.received().poll(10, TimeUnit.SECONDS);
        assertThat(received).as("request at the origin").isNotNull();
        return received;
    }

    @Test
    void upstreamSeesInjectedTokenOnly() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/api/v1/user"))
                .header("Authorization", "Bearer " + AGENT_VALUE)
                .header("Cookie", "s=" + AGENT_VALUE)
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        TlsOrigin.Received received = nextReceived();
        assertThat(received.uri()).isEqualTo("/base/v1/user");
        assertThat(received.headers().getAll("authorization")).containsExactly("Bearer " + ORIGIN_TOKEN);
        assertThat(received.headers().toString()).doesNotContain(AGENT_VALUE);
        assertThat(response.headers().map().toString()).doesNotContain(ORIGIN_TOKEN);
        assertThat(response.body()).doesNotContain(ORIGIN_TOKEN);
    }

    @Test
    void sseEventsArriveOneByOne() throws Exception {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(url("/api/v1/sse")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("data:")) {
                        events.add(line);
                    }
                }
            } catch (IOException e) {
                events.add("failed: " + e);
            }
        });
        reader.start();

        // The origin sends each event only after the test saw the previous one.
        for (int i = 0; i < TlsOrigin.SSE_EVENTS; i++) {
            assertThat(events.poll(10, TimeUnit.SECONDS)).as("event %d", i).isEqualTo("data: {\"n\":" + i + "}");
            if (i + 1 < TlsOrigin.SSE_EVENTS) {
                origin.releaseSseEvent(i + 1);
            }
        }
        reader.join(10_000);
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void largeUploadStreams() throws Exception {
        long size = 10L * 1024 * 1024;
        CredProxyForwardingTest.MemoryPeak peak = CredProxyForwardingTest.MemoryPeak.start(allocator.metric());

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/api/upload"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new CredProxyForwardingTest.GeneratedStream(size)))
                .timeout(Duration.ofSeconds(120))
                .build(), HttpResponse.BodyHandlers.ofString());
        long peakBytes = peak.stop();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok " + size + " bytes");
        assertThat(nextReceived().bodyBytes()).isEqualTo(size);
        assertThat(peakBytes).as("peak buffer memory held by cred-proxy").isLessThan(1024 * 1024);
    }

    @Test
    void tokenToUnboundHostBlocked() throws Exception {
        // A route added later whose upstream egress-proxy has no binding for: the token must not leave.
        List<Map<String, Object>> withStray = new ArrayList<>();
        withStray.add(CredProxyForwardingTest.route("/api/", "https://origin.test:" + origin.port() + "/base", "Bearer",
                "ORIGIN_TOKEN"));
        withStray.add(CredProxyForwardingTest.route("/stray/", "https://other.test:" + origin.port(), "Bearer",
                "ORIGIN_TOKEN"));
        proxy.reload(RouteTable.parse(withStray));
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/stray/v1/user")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).doesNotContain(ORIGIN_TOKEN);
            assertThat(origin.received().poll(200, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            proxy.reload(routes);
        }
    }

    @Test
    void secretInSmallBodyGetsEgressRefusal() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/api/v1/notes"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"note\": \"" + LEAKED + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("egress").doesNotContain(LEAKED);
    }

    /** The refusal comes while the agent is still uploading; it must reach the agent whole, not as a reset. */
    @Test
    void secretInLargeUploadGetsEgressRefusal() throws Exception {
        byte[] body = new byte[32 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'a');
        byte[] secret = (" " + LEAKED + " ").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(secret, 0, body, 64 * 1024, secret.length);

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/api/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(60))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("egress").doesNotContain(LEAKED);
    }

    @Test
    void uploadToUnknownRouteGets404() throws Exception {
        byte[] body = new byte[32 * 1024 * 1024];

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/nowhere/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(60))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("no route matches /nowhere/upload");
    }

    @Test
    void unlistedUpstreamIs502() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/unlisted/x")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("egress-proxy rejected the connection to unlisted.test");
        assertThat(origin.received()).isEmpty();
    }
}
