package dev.claudebottle.supervise.bench;

import dev.claudebottle.supervise.EgressSnapshot;
import dev.claudebottle.supervise.Supervise;
import dev.claudebottle.supervise.SuperviseConfig;
import dev.claudebottle.supervise.queue.QueuedRequest;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures two round trips against a supervise server on 127.0.0.1, one keep-alive HTTP/1.1
 * connection, in one JVM: a read-only {@code list-egress} call, and an {@code egress-block} call
 * from the POST until the reply, with the operator's approval written as soon as the request file
 * appears. The second figure includes the server's poll interval (20 ms here).
 *
 * <p>Arguments: calls of each kind (default 500 and 100). Bounded: each call times out after 10 s.
 */
public final class RoundTripBench {

    private RoundTripBench() {
    }

    public static void main(String[] args) throws Exception {
        int listCalls = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int requestCalls = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path state = Files.createTempDirectory("supervise-bench");
        SuperviseConfig config = SuperviseConfig.builder("bench", state.resolve("queue"), state.resolve("audit.jsonl"))
                .bindAddress(new InetSocketAddress("127.0.0.1", 0))
                .pollInterval(Duration.ofMillis(20))
                .maxPendingRequests(requestCalls + 1)
                .egress(() -> new EgressSnapshot(List.of("api.anthropic.com", "*.github.com"), List.of()))
                .build();
        try (Supervise server = Supervise.start(config)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/");
            String session = initialize(http, uri);

            String listBody = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                    + "{\"name\":\"list-egress\",\"arguments\":{}}}";
            for (int i = 0; i < 50; i++) {
                post(http, uri, session, listBody);
            }
            long[] list = new long[listCalls];
            for (int i = 0; i < listCalls; i++) {
                long start = System.nanoTime();
                post(http, uri, session, listBody);
                list[i] = System.nanoTime() - start;
            }
            report("list-egress", list);

            long[] requests = new long[requestCalls];
            for (int i = 0; i < requestCalls; i++) {
                String body = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
                        + "\"egress-block\",\"arguments\":{\"failed_url\":\"https://host" + i
                        + ".example.com/\",\"justification\":\"bench\"}}}";
                long start = System.nanoTime();
                CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> post(http, uri, session, body));
                approveWhenQueued(server);
                String text = reply.get(10, TimeUnit.SECONDS);
                requests[i] = System.nanoTime() - start;
                if (!text.contains("Approved")) {
                    throw new IllegalStateException("expected an approval, got " + text);
                }
            }
            report("egress-block approved", requests);
        }
    }

    private static void approveWhenQueued(Supervise server) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<QueuedRequest> pending = server.queue().listPending().stream().findFirst();
            if (pending.isPresent()) {
                server.queue().approve(pending.get().id(), null);
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        throw new IllegalStateException("no request appeared within 10 s");
    }

    private static String initialize(HttpClient http, URI uri) throws Exception {
        HttpResponse<String> response = http.send(request(uri, null,
                "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}"),
                HttpResponse.BodyHandlers.ofString());
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private static String post(HttpClient http, URI uri, String session, String body) {
        try {
            return http.send(request(uri, session, body), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException("request failed", e);
        }
    }

    private static HttpRequest request(URI uri, String session, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            builder.header("Mcp-Session-Id", session);
        }
        return builder.build();
    }

    private static void report(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-22s n=%d  p50=%.2f ms  p90=%.2f ms  p99=%.2f ms  max=%.2f ms%n", name, sorted.length,
                millis(sorted, 0.50), millis(sorted, 0.90), millis(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double millis(long[] sorted, double quantile) {
        int index = Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
