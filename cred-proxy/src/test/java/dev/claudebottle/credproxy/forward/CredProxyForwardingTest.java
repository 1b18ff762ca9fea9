package dev.claudebottle.credproxy.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.credproxy.CredProxy;
import dev.claudebottle.credproxy.CredProxyConfig;
import dev.claudebottle.credproxy.TokenSource;
import dev.claudebottle.credproxy.route.RouteTable;
import dev.claudebottle.credproxy.testing.RawHttp;
import dev.claudebottle.credproxy.testing.TestConnectProxy;
import dev.claudebottle.credproxy.testing.TestPki;
import dev.claudebottle.credproxy.testing.TlsOrigin;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * cred-proxy forwarding against a TLS origin on 127.0.0.1, reached through a CONNECT proxy
 * that pins {@code origin.test} to loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredProxyForwardingTest {

    static final String ORIGIN_TOKEN = "ghp_TestOnly0000000000000000000000000000";
    static final String KEY_TOKEN = "sk-test-made-up-key-0123456789abcdef";
    static final String AGENT_VALUE = "agent-held-credential-value";

    private EventLoopGroup group;
    private TestPki pki;
    private TlsOrigin origin;
    private TestConnectProxy egress;
    private CredProxy proxy;
    private final BlockingQueue<String> logLines = new LinkedBlockingQueue<>();
    private HttpClient client;
    /** Unpooled, so its metric counts exactly the bytes cred-proxy has allocated and not yet released. */
    private final io.netty.buffer.UnpooledByteBufAllocator allocator = new io.netty.buffer.UnpooledByteBufAllocator(true);

    @BeforeAll
    void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        pki = new TestPki("cred-proxy test CA");
        origin = new TlsOrigin(group, pki.serverContext("origin.test"));
        egress = new TestConnectProxy(group, Map.of("origin.test", InetAddress.getLoopbackAddress()));
        proxy = CredProxy.start(config(Duration.ofMinutes(1)).allocator(allocator).build(), TokenSource.of(Map.of(
                "ORIGIN_TOKEN", ORIGIN_TOKEN, "KEY_TOKEN", KEY_TOKEN)));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    CredProxyConfig.Builder config(Duration idleTimeout) {
        int port = origin.port();
        RouteTable routes = RouteTable.parse(List.of(
                route("/api/", "https://origin.test:" + port + "/base", "Bearer", "ORIGIN_TOKEN"),
                route("/key/", "https://origin.test:" + port, "x-api-key", "KEY_TOKEN"),
                route("/blocked/", "https://unlisted.test:" + port, "Bearer", "ORIGIN_TOKEN"),
                route("/notoken/", "https://origin.test:" + port, "Bearer", "MISSING_TOKEN")));
        return CredProxyConfig.builder()
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .routes(routes)
                .egressProxy(egress.address())
                .trust(pki.caCertificate())
                .idleTimeout(idleTimeout)
                .requestLog(logLines::add);
    }

    static Map<String, Object> route(String path, String upstream, String scheme, String tokenRef) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("path", path);
        map.put("upstream", upstream);
        map.put("auth_scheme", scheme);
        map.put("token_ref", tokenRef);
        return map;
    }

    @AfterAll
    void stop() throws java.io.IOException {
        proxy.close();
        egress.close();
        origin.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();

        // The build sends every logger at DEBUG to this file; no token may appear in it.
        java.nio.file.Path debugLog = java.nio.file.Path.of(System.getProperty("org.slf4j.simpleLogger.logFile",
                "target/test-debug.log"));
        assertThat(debugLog).exists();
        String text = java.nio.file.Files.readString(debugLog);
        assertThat(text).contains("cred-proxy listening").doesNotContain(ORIGIN_TOKEN, KEY_TOKEN, AGENT_VALUE);
        assertThat(text).as("event-loop tasks that failed").doesNotContain("A task raised an exception");
    }

    @BeforeEach
    void forgetEarlierRequests() {
        origin.received().clear();
        logLines.clear();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + proxy.address().getPort() + path);
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    TlsOrigin.Received nextReceived() throws InterruptedException {
        TlsOrigin.Received received = origin.received().poll(10, TimeUnit.SECONDS);
        assertThat(received).as("request at the origin").isNotNull();
        return received;
    }

    @Nested
    class Credentials {

        @Test
        void upstreamSeesOnlyInjectedToken() throws Exception {
            HttpResponse<String> response = get("/api/v1/user?page=2",
                    "Authorization", "Bearer " + AGENT_VALUE,
                    "Proxy-Authorization", "Basic " + AGENT_VALUE,
                    "X-Api-Key", AGENT_VALUE,
                    "Cookie", "session=" + AGENT_VALUE);

            assertThat(response.statusCode()).isEqualTo(200);
            TlsOrigin.Received received = nextReceived();
            assertThat(received.uri()).isEqualTo("/base/v1/user?page=2");
            assertThat(received.headers().getAll("authorization")).containsExactly("Bearer " + ORIGIN_TOKEN);
            assertThat(received.headers().contains("proxy-authorization")).isFalse();
            assertThat(received.headers().contains("x-api-key")).isFalse();
            assertThat(received.headers().contains("cookie")).isFalse();
            assertThat(received.headers().get("host")).isEqualTo("origin.test:" + origin.port());
            assertThat(received.headers().toString()).doesNotContain(AGENT_VALUE);
        }

        @Test
        void headerFormReplacesAgentKey() throws Exception {
            HttpResponse<String> response = get("/key/v1/messages", "x-api-key", AGENT_VALUE,
                    "Authorization", "Bearer " + AGENT_VALUE);

            assertThat(response.statusCode()).isEqualTo(200);
            TlsOrigin.Received received = nextReceived();
            assertThat(received.headers().getAll("x-api-key")).containsExactly(KEY_TOKEN);
            assertThat(received.headers().contains("authorization")).isFalse();
        }

        @Test
        void responseEchoingTokenIsRedacted() throws Exception {
            HttpResponse<String> response = get("/api/leak");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("you sent: Bearer ").doesNotContain(ORIGIN_TOKEN);
            assertThat(response.body()).contains("*".repeat(ORIGIN_TOKEN.length()));
            assertThat(response.headers().firstValue("x-echo")).isEmpty();
            assertThat(response.headers().map().toString()).doesNotContain(ORIGIN_TOKEN);
        }

        @Test
        void setCookieNotForwarded() throws Exception {
            HttpResponse<String> response = get("/api/cookie");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("set-cookie")).isEmpty();
        }

        @Test
        void missingTokenIs502() throws Exception {
            HttpResponse<String> response = get("/notoken/x");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("no token named MISSING_TOKEN");
            assertThat(origin.received()).isEmpty();
        }
    }

    @Nested
    class Headers {

        @Test
        void hopByHopFieldsDropped() throws Exception {
            RawHttp.Response response = RawHttp.exchange(proxy.address(), "GET /api/hop HTTP/1.1\r\n"
                    + "Host: cred-proxy:9099\r\n"
                    + "Connection: close, X-Drop-Me\r\n"
                    + "X-Drop-Me: 1\r\n"
                    + "Keep-Alive: timeout=5\r\n"
                    + "Upgrade: websocket\r\n"
                    + "TE: trailers\r\n"
                    + "Proxy-Connection: keep-alive\r\n"
                    + "X-Kept: yes\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
            TlsOrigin.Received received = nextReceived();
            assertThat(received.headers().contains("x-drop-me")).isFalse();
            assertThat(received.headers().contains("keep-alive")).isFalse();
            assertThat(received.headers().contains("upgrade")).isFalse();
            assertThat(received.headers().contains("te")).isFalse();
            assertThat(received.headers().contains("proxy-connection")).isFalse();
            assertThat(received.headers().get("x-kept")).isEqualTo("yes");
        }

        @Test
        void http10AgentGetsCloseDelimitedBody() {
            RawHttp.Response response = RawHttp.exchange(proxy.address(), "GET /api/chunked HTTP/1.0\r\n\r\n");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.head().toLowerCase()).doesNotContain("transfer-encoding").contains("connection: close");
            assertThat(response.body()).isEqualTo("one two three");
        }

        @Test
        void http11AgentGetsChunkedBody() throws Exception {
            HttpResponse<String> response = get("/api/chunked");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("one two three");
        }

        @Test
        void expectContinueAnsweredLocally() throws Exception {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.address().getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("POST /api/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                        + "Expect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                RawHttp.Response interim = RawHttp.read(in);
                socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                RawHttp.Response response = RawHttp.read(in);

                assertThat(interim.status()).isEqualTo(100);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("ok 5 bytes");
                assertThat(nextReceived().headers().contains("expect")).isFalse();
            }
        }
    }

    @Nested
    class Streaming {

        @Test
        void sseEventsArriveOneByOne() throws Exception {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(url("/api/v1/sse")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> readEvents(response.body(), events));
            reader.start();

            // Each event is sent only after the previous one arrived, so a buffering proxy stalls here.
            for (int i = 0; i < TlsOrigin.SSE_EVENTS; i++) {
                String event = events.poll(10, TimeUnit.SECONDS);
                assertThat(event).as("event %d", i).isEqualTo("data: {\"n\":" + i + "}");
                if (i + 1 < TlsOrigin.SSE_EVENTS) {
                    origin.releaseSseEvent(i + 1);
                }
            }
            reader.join(10_000);
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("end");
            assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        }

        private void readEvents(InputStream body, BlockingQueue<String> events) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("data:")) {
                        events.add(line);
                    }
                }
                events.add("end");
            } catch (java.io.IOException e) {
                events.add("failed: " + e);
            }
        }

        @Test
        void largeUploadStreams() throws Exception {
            long size = 10L * 1024 * 1024;
            MemoryPeak peak = MemoryPeak.start(allocator.metric());

            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/api/upload"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedStream(size)))
                    .timeout(Duration.ofSeconds(60))
                    .build(), HttpResponse.BodyHandlers.ofString());
            long peakBytes = peak.stop();

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok " + size + " bytes");
            assertThat(nextReceived().bodyBytes()).isEqualTo(size);
            assertThat(peakBytes).as("peak buffer memory held by cred-proxy during a 10 MB upload")
                    .isLessThan(1024 * 1024);
        }

        @Test
        void largeDownloadStreams() throws Exception {
            MemoryPeak peak = MemoryPeak.start(allocator.metric());

            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(url("/api/download"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
            long received;
            try (InputStream body = response.body()) {
                received = body.transferTo(java.io.OutputStream.nullOutputStream());
            }
            long peakBytes = peak.stop();

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(received).isEqualTo(TlsOrigin.DOWNLOAD_SIZE);
            assertThat(peakBytes).as("peak buffer memory held by cred-proxy during a 10 MB download")
                    .isLessThan(1024 * 1024);
        }

        @Test
        void concurrentRequestsAllSucceed() throws Exception {
            int count = 32;
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                responses.add(client.sendAsync(HttpRequest.newBuilder(url("/api/parallel/" + i))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
            }

            for (java.util.concurrent.CompletableFuture<HttpResponse<String>> response : responses) {
                assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            java.util.Set<String> uris = new java.util.HashSet<>();
            for (int i = 0; i < count; i++) {
                uris.add(nextReceived().uri());
            }
            assertThat(uris).hasSize(count);
        }

        @Test
        void keepAliveReusesUpstreamConnection() throws Exception {
            get("/api/first");
            int connectionsAfterFirst = origin.connections();
            int connectsAfterFirst = egress.connectTargets().size();

            get("/api/second");
            get("/api/third");

            assertThat(origin.connections()).isEqualTo(connectionsAfterFirst);
            assertThat(egress.connectTargets()).hasSize(connectsAfterFirst);
        }
    }

    @Nested
    class Rejections {

        @Test
        void gitPushRefused() throws Exception {
            HttpResponse<String> advertise = get("/api/o/r.git/info/refs?service=git-receive-pack");
            HttpResponse<String> push = client.send(HttpRequest.newBuilder(url("/api/o/r.git/git-receive-pack"))
                    .POST(HttpRequest.BodyPublishers.ofString("0000")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(advertise.statusCode()).isEqualTo(403);
            assertThat(advertise.body()).contains("git-gate");
            assertThat(push.statusCode()).isEqualTo(403);
            assertThat(push.body()).contains("git-gate");
            assertThat(origin.received()).isEmpty();
        }

        @Test
        void gitFetchAllowed() throws Exception {
            HttpResponse<String> fetch = get("/api/o/r.git/info/refs?service=git-upload-pack");

            assertThat(fetch.statusCode()).isEqualTo(200);
            assertThat(nextReceived().uri()).isEqualTo("/base/o/r.git/info/refs?service=git-upload-pack");
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "/api/../key/v1/messages",
            "/api/%2e%2e/key/v1",
            "/api/..%2fkey/v1",
            "/api//key/v1",
            "/api\\..\\key/v1",
            "/api/%5c..%5ckey",
            "/api/..;/key/v1",
            "/api/%252e%252e/key",
            "http://origin.test/api/x"
        })
        void pathTrickIs400(String target) {
            RawHttp.Response response = RawHttp.exchange(proxy.address(),
                    "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertThat(response.status()).as(target).isEqualTo(400);
            assertThat(origin.received()).isEmpty();
        }

        @Test
        void contentLengthBesideChunkedIs400() {
            // Both framings at once is the classic smuggling setup (RFC 9112, section 6.3).
            RawHttp.Response response = RawHttp.exchange(proxy.address(), "POST /api/upload HTTP/1.1\r\n"
                    + "Host: x\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n"
                    + "GET /api/smuggled HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThat(response.status()).isEqualTo(400);
            assertThat(origin.received()).isEmpty();
        }

        @Test
        void unknownTransferCodingIs501() {
            RawHttp.Response response = RawHttp.exchange(proxy.address(), "POST /api/upload HTTP/1.1\r\n"
                    + "Host: x\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n0\r\n\r\n");

            assertThat(response.status()).isEqualTo(501);
            assertThat(origin.received()).isEmpty();
        }

        @Test
        void oversizedHeaderIs400() {
            RawHttp.Response response = RawHttp.exchange(proxy.address(), "GET /api/x HTTP/1.1\r\nHost: x\r\n"
                    + "X-Big: " + "a".repeat(40 * 1024) + "\r\nConnection: close\r\n\r\n");

            assertThat(response.status()).isEqualTo(400);
            assertThat(origin.received()).isEmpty();
        }

        @Test
        void unmatchedIs404ListingRoutes() throws Exception {
            HttpResponse<String> response = get("/apix/v1");

            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).contains("/api/ /key/ /blocked/ /notoken/");
            assertThat(origin.received()).isEmpty();
        }

        @Test
        void egressRefusalIs502() throws Exception {
            HttpResponse<String> response = get("/blocked/x");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("egress-proxy rejected the connection to unlisted.test");
        }
    }

    @Nested
    class Failures {

        @Test
        void silentUpstreamIs504() throws Exception {
            try (CredProxy impatient = CredProxy.start(config(Duration.ofMillis(300)).build(),
                    TokenSource.of(Map.of("ORIGIN_TOKEN", ORIGIN_TOKEN)))) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + impatient.address().getPort() + "/api/silent")).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).isEqualTo(504);
                assertThat(response.body()).contains("sent nothing");
            }
        }

        @Test
        void stalledUploadClosed() throws Exception {
            try (CredProxy impatient = CredProxy.start(config(Duration.ofMillis(300)).build(),
                    TokenSource.of(Map.of("ORIGIN_TOKEN", ORIGIN_TOKEN)));
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), impatient.address().getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("POST /api/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
                        + "only ten b").getBytes(StandardCharsets.US_ASCII));

                int read = socket.getInputStream().read();

                assertThat(read).as("end of stream after the idle timeout").isEqualTo(-1);
                assertThat(origin.received()).isEmpty();
            }
        }

        @Test
        void unansweredConnectIs504() throws Exception {
            // The kernel accepts the TCP connection into the backlog; nobody ever reads the CONNECT.
            try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                    CredProxy stuck = CredProxy.start(config(Duration.ofSeconds(5))
                            .egressProxy((InetSocketAddress) mute.getLocalSocketAddress())
                            .connectTimeout(Duration.ofMillis(300)).build(),
                            TokenSource.of(Map.of("ORIGIN_TOKEN", ORIGIN_TOKEN)), group)) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + stuck.address().getPort() + "/api/x")).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).isEqualTo(504);
                assertThat(response.body()).contains("timed out");
            }
            assertThat(group.isShuttingDown()).as("a shared group outlives the proxy").isFalse();
        }

        @Test
        void closeEndsPooledConnections() throws Exception {
            // One event loop, so every pooled connection lands in the same pool.
            EventLoopGroup oneLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                java.util.Set<io.netty.channel.Channel> before = origin.openConnections();
                CredProxy pooling = CredProxy.start(config(Duration.ofMinutes(1)).build(),
                        TokenSource.of(Map.of("ORIGIN_TOKEN", ORIGIN_TOKEN)), oneLoop);
                List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    responses.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + pooling.address().getPort() + "/api/pooled/" + i)).build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                for (java.util.concurrent.CompletableFuture<HttpResponse<String>> response : responses) {
                    assertThat(response.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                }
                java.util.Set<io.netty.channel.Channel> opened = new java.util.HashSet<>(origin.openConnections());
                opened.removeAll(before);
                assertThat(opened).as("pooled connections of the new proxy").isNotEmpty();

                pooling.close();

                for (io.netty.channel.Channel connection : opened) {
                    assertThat(connection.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS))
                            .as("origin connection closed after close()").isTrue();
                }
            } finally {
                oneLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }

        @Test
        void closeEndsOpenAgentConnections() throws Exception {
            CredProxy closing = CredProxy.start(config(Duration.ofMinutes(1)).build(),
                    TokenSource.of(Map.of("ORIGIN_TOKEN", ORIGIN_TOKEN)), group);
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), closing.address().getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET /api/silent HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(nextReceived().uri()).isEqualTo("/base/silent");

                closing.close();

                assertThat(socket.getInputStream().read()).as("end of stream after close()").isEqualTo(-1);
            }
        }

        @Test
        void deadEgressIs502() throws Exception {
            InetSocketAddress unused;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                unused = (InetSocketAddress) socket.getLocalSocketAddress();
            }
            try (CredProxy orphan = CredProxy.start(config(Duration.ofSeconds(5)).egressProxy(unused).build(),
                    TokenSource.of(Map.of("ORIGIN_TOKEN", ORIGIN_TOKEN)))) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + orphan.address().getPort() + "/api/x")).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).isEqualTo(502);
                assertThat(response.body()).contains("could not connect to egress-proxy");
            }
        }
    }

    @Nested
    class StaleConnections {

        @Test
        void bodilessGetRetriedOnNewConnection() throws Exception {
            get("/api/warm-up");
            assertThat(nextReceived().uri()).isEqualTo("/base/warm-up");
            int connectionsBefore = origin.connections();

            HttpResponse<String> response = get("/api/dropreused");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(nextReceived().uri()).as("the attempt on the pooled connection").isEqualTo("/base/dropreused");
            assertThat(nextReceived().uri()).as("the retry").isEqualTo("/base/dropreused");
            assertThat(origin.connections()).isEqualTo(connectionsBefore + 1);
        }

        @Test
        void postNotRetried() throws Exception {
            get("/api/warm-up");

            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/api/dropreused"))
                    .POST(HttpRequest.BodyPublishers.ofString("payload")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("closed the connection");
        }
    }

    @Nested
    class Reload {

        @Test
        void reloadedRoutesApplyToNextRequest() throws Exception {
            RouteTable after = RouteTable.parse(List.of(
                    route("/v2/", "https://origin.test:" + origin.port() + "/next", "Bearer", "ORIGIN_TOKEN")));
            try {
                proxy.reload(after);

                HttpResponse<String> moved = get("/v2/user");
                HttpResponse<String> gone = get("/api/user");

                assertThat(moved.statusCode()).isEqualTo(200);
                assertThat(nextReceived().uri()).isEqualTo("/next/user");
                assertThat(gone.statusCode()).isEqualTo(404);
                assertThat(gone.body()).contains("the routes are /v2/");
            } finally {
                proxy.reload(config(Duration.ofMinutes(1)).build().routes());
            }
        }
    }

    @Nested
    class Logging {

        @Test
        void oneJsonLinePerRequest() throws Exception {
            get("/api/v1/search?q=secret-query-value&page=1", "Authorization", "Bearer " + AGENT_VALUE);

            String line = logLines.poll(10, TimeUnit.SECONDS);
            assertThat(line).contains("\"route\":\"/api/\"", "\"method\":\"GET\"", "\"path\":\"/api/v1/search\"",
                    "\"query_keys\":[\"q\",\"page\"]", "\"status\":200", "\"outcome\":\"forwarded\"",
                    "\"duration_ms\":");
            assertThat(line).doesNotContain("secret-query-value", ORIGIN_TOKEN, AGENT_VALUE);
            assertThat(logLines).isEmpty();
        }

        @Test
        void rejectedRequestLogged() throws Exception {
            get("/nowhere");

            String line = logLines.poll(10, TimeUnit.SECONDS);
            assertThat(line).contains("\"route\":\"-\"", "\"status\":404", "\"outcome\":\"rejected\"");
        }
    }

    /** Samples an allocator's used direct and heap memory every millisecond on a background thread. */
    static final class MemoryPeak {
        private final Thread sampler;
        private volatile boolean running = true;
        private volatile long peak;

        private MemoryPeak(io.netty.buffer.ByteBufAllocatorMetric metric) {
            sampler = new Thread(() -> {
                while (running) {
                    peak = Math.max(peak, metric.usedDirectMemory() + metric.usedHeapMemory());
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
            });
            sampler.setDaemon(true);
        }

        static MemoryPeak start(io.netty.buffer.ByteBufAllocatorMetric metric) {
            MemoryPeak memoryPeak = new MemoryPeak(metric);
            memoryPeak.sampler.start();
            return memoryPeak;
        }

        long stop() throws InterruptedException {
            running = false;
            sampler.join(5_000);
            return peak;
        }
    }

    /** Produces {@code size} bytes on demand without holding them. */
    static final class GeneratedStream extends InputStream {
        private long remaining;

        GeneratedStream(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            remaining--;
            return 'a';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            int count = (int) Math.min(length, remaining);
            java.util.Arrays.fill(buffer, offset, offset + count, (byte) 'a');
            remaining -= count;
            return count;
        }
    }
}
