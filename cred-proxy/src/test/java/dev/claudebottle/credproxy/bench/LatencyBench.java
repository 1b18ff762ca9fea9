package dev.claudebottle.credproxy.bench;

import dev.claudebottle.credproxy.CredProxy;
import dev.claudebottle.credproxy.CredProxyConfig;
import dev.claudebottle.credproxy.TokenSource;
import dev.claudebottle.credproxy.route.RouteTable;
import dev.claudebottle.credproxy.testing.RawHttp;
import dev.claudebottle.credproxy.testing.TestPki;
import dev.claudebottle.credproxy.testing.TlsOrigin;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Measures the latency cred-proxy plus its egress leg adds to one keep-alive request, against
 * the same TLS origin reached directly, in one process and one run. Everything listens on
 * 127.0.0.1. Both paths take turns in rounds, so drift in machine load hits both alike.
 *
 * <p>Run through {@code bench/cred-proxy.sh}; arguments: rounds, requests per round, and
 * {@code egress} (egress-proxy with TLS bump and DLP, the default) or {@code tunnel} (a plain
 * CONNECT relay, to see cred-proxy's own share).
 */
public final class LatencyBench {

    private static final String TOKEN = "ghp_BenchOnly000000000000000000000000000";
    private static final long TIME_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(3);

    private LatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        boolean plainTunnel = args.length > 2 && args[2].equals("tunnel");
        long deadline = System.nanoTime() + TIME_LIMIT_NANOS;

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        TestPki pki = new TestPki("bench origin CA");
        try (TlsOrigin origin = new TlsOrigin(group, pki.serverContext("origin.test"));
                BenchEgress egress = plainTunnel ? BenchEgress.tunnel(group, pki)
                        : BenchEgress.egressProxy(group, pki, origin.port(), TOKEN)) {
            RouteTable routes = RouteTable.parse(List.of(Map.of("path", "/api/",
                    "upstream", "https://origin.test:" + origin.port(), "token_ref", "BENCH_TOKEN")));
            CredProxyConfig.Builder config = CredProxyConfig.builder()
                    .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .routes(routes)
                    .egressProxy(egress.address())
                    .requestLog(line -> { });
            egress.trustedCertificates().forEach(config::trust);
            try (CredProxy proxy = CredProxy.start(config.build(), TokenSource.of(Map.of("BENCH_TOKEN", TOKEN)));
                    Socket direct = directSocket(pki.caCertificate(), origin.port());
                    Socket proxied = new Socket(InetAddress.getLoopbackAddress(), proxy.address().getPort())) {
                proxied.setTcpNoDelay(true);
                String directRequest = "GET /bench HTTP/1.1\r\nHost: origin.test\r\nAuthorization: Bearer " + TOKEN
                        + "\r\n\r\n";
                String proxiedRequest = "GET /api/bench HTTP/1.1\r\nHost: cred-proxy\r\n\r\n";

                // Warm-up: JIT, connection pool, TLS sessions.
                measure(direct, directRequest, perRound, deadline);
                measure(proxied, proxiedRequest, perRound, deadline);

                long[][] samples = new long[2][];
                long[] directAll = new long[0];
                long[] proxiedAll = new long[0];
                for (int round = 0; round < rounds && System.nanoTime() < deadline; round++) {
                    boolean directFirst = round % 2 == 0;
                    samples[0] = measure(directFirst ? direct : proxied, directFirst ? directRequest : proxiedRequest,
                            perRound, deadline);
                    samples[1] = measure(directFirst ? proxied : direct, directFirst ? proxiedRequest : directRequest,
                            perRound, deadline);
                    long[] d = directFirst ? samples[0] : samples[1];
                    long[] p = directFirst ? samples[1] : samples[0];
                    directAll = concat(directAll, d);
                    proxiedAll = concat(proxiedAll, p);
                    System.out.printf("round %2d: direct p50 %7.1f us, via cred-proxy+%s p50 %7.1f us, added %7.1f us%n",
                            round, micros(percentile(d, 50)), egress.name(), micros(percentile(p, 50)),
                            micros(percentile(p, 50) - percentile(d, 50)));
                }
                System.out.printf("%nall rounds (%d requests each path, keep-alive, 1 client connection):%n",
                        directAll.length);
                System.out.printf("  direct TLS to origin        p50 %7.1f us  p90 %7.1f us  p99 %7.1f us%n",
                        micros(percentile(directAll, 50)), micros(percentile(directAll, 90)),
                        micros(percentile(directAll, 99)));
                System.out.printf("  cred-proxy + %-14s p50 %7.1f us  p90 %7.1f us  p99 %7.1f us%n", egress.name(),
                        micros(percentile(proxiedAll, 50)), micros(percentile(proxiedAll, 90)),
                        micros(percentile(proxiedAll, 99)));
                System.out.printf("  added median latency        %7.1f us%n",
                        micros(percentile(proxiedAll, 50) - percentile(directAll, 50)));
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static long[] measure(Socket socket, String request, int count, long deadline) throws IOException {
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        long[] latencies = new long[count];
        int done = 0;
        for (; done < count && System.nanoTime() < deadline; done++) {
            long start = System.nanoTime();
            out.write(bytes);
            out.flush();
            RawHttp.Response response = RawHttp.read(in);
            latencies[done] = System.nanoTime() - start;
            if (response.status() != 200) {
                throw new IllegalStateException("request failed with status " + response.status() + ": "
                        + response.body());
            }
        }
        return Arrays.copyOf(latencies, done);
    }

    private static Socket directSocket(X509Certificate ca, int port) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        plain.setTcpNoDelay(true);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "origin.test", port, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("origin.test")));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)];
    }

    private static double micros(long nanos) {
        return nanos / 1_000.0;
    }

    private static long[] concat(long[] first, long[] second) {
        long[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
