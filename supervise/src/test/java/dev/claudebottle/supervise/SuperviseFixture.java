package dev.claudebottle.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.supervise.queue.QueuedRequest;
import dev.claudebottle.supervise.queue.RequestQueue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** A supervise server on 127.0.0.1 with its own queue and audit log under a temporary directory. */
final class SuperviseFixture implements AutoCloseable {

    static final ObjectMapper MAPPER = new ObjectMapper();

    final Path stateDirectory;
    final Path queueDirectory;
    final Path auditLog;
    final Supervise server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();

    SuperviseFixture(Path stateDirectory, String bottle, Consumer<SuperviseConfig.Builder> customizer) {
        this.stateDirectory = stateDirectory;
        this.queueDirectory = stateDirectory.resolve("queue");
        this.auditLog = stateDirectory.resolve("audit.jsonl");
        SuperviseConfig.Builder builder = SuperviseConfig.builder(bottle, queueDirectory, auditLog)
                .bindAddress(new InetSocketAddress("127.0.0.1", 0))
                .decisionWait(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20));
        customizer.accept(builder);
        this.server = Supervise.start(builder.build());
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + "/");
    }

    RequestQueue queue() {
        return server.queue();
    }

    /** Completes with the oldest pending request once one exists. */
    CompletableFuture<QueuedRequest> pendingRequest() {
        CompletableFuture<QueuedRequest> found = new CompletableFuture<>();
        ScheduledFuture<?> task = poller.scheduleWithFixedDelay(() -> {
            List<QueuedRequest> pending = queue().listPending();
            if (!pending.isEmpty()) {
                found.complete(pending.get(0));
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        found.whenComplete((request, failure) -> task.cancel(false));
        return found;
    }

    /** Sends initialize and returns the session id. */
    String initialize(String version) throws IOException, InterruptedException {
        HttpResponse<String> response = post(null, Map.of(), """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"%s",
                 "capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""".formatted(version));
        String session = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post(session, Map.of(), "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return session;
    }

    HttpResponse<String> post(String session, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri())
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Calls a tool in a session and returns the JSON-RPC response. */
    JsonNode callTool(String session, String tool, String argumentsJson) throws IOException, InterruptedException {
        HttpResponse<String> response = post(session, Map.of(), """
                {"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"%s","arguments":%s}}"""
                .formatted(tool, argumentsJson));
        return MAPPER.readTree(response.body());
    }

    /**
     * Sends raw bytes on a fresh socket and returns the first read of the reply. Tests use it for
     * headers that java.net.http does not let a client set, such as Host.
     */
    String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            int read = in.read(buffer);
            return read < 0 ? "" : new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
        }
    }

    /** Reads every file under the state directory as text, to prove a value was never written. */
    String allStoredText() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(stateDirectory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                text.append(Files.readString(file, StandardCharsets.ISO_8859_1)).append('\n');
            }
        }
        return text.toString();
    }

    List<JsonNode> auditLines() throws IOException {
        if (!Files.exists(auditLog)) {
            return List.of();
        }
        return Files.readAllLines(auditLog).stream().map(line -> {
            try {
                return MAPPER.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("audit line is not JSON: " + line, e);
            }
        }).toList();
    }

    @Override
    public void close() {
        poller.shutdownNow();
        server.close();
    }
}
