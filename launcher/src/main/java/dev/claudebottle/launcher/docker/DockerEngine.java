package dev.claudebottle.launcher.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.launcher.LauncherException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connection to the Docker engine. {@code DOCKER_HOST} (and the other variables docker-java
 * reads, such as {@code DOCKER_TLS_VERIFY}) choose the engine; without them it is the local
 * Unix socket.
 */
public final class DockerEngine implements AutoCloseable {

    private static final Pattern STATUS_BODY = Pattern.compile("Status (\\d+): (\\{.*})", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DockerClient client;
    private final String host;

    private DockerEngine(DockerClient client, String host) {
        this.client = client;
        this.host = host;
    }

    /**
     * Connects to the engine named by the environment and checks that it responds to a ping.
     *
     * @throws LauncherException when the engine cannot be reached
     */
    public static DockerEngine connect() {
        return connect(System.getenv());
    }

    /**
     * Connects to the engine that {@code DOCKER_HOST} in {@code environment} names, the local socket
     * when it is unset; docker-java reads its other settings (TLS) from the process environment.
     */
    public static DockerEngine connect(Map<String, String> environment) {
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        String host = environment.get("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            builder.withDockerHost(host);
        }
        DockerClientConfig config = builder.build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        DockerEngine engine = new DockerEngine(DockerClientImpl.getInstance(config, http),
                config.getDockerHost().toString());
        try {
            engine.client.pingCmd().exec();
        } catch (RuntimeException e) {
            engine.close();
            throw new LauncherException("cannot reach the Docker engine at " + engine.host, describe(e),
                    "start the engine, or set DOCKER_HOST to the engine's address");
        }
        return engine;
    }

    public DockerClient client() {
        return client;
    }

    /** Returns the engine address, such as {@code unix:///var/run/docker.sock}. */
    public String host() {
        return host;
    }

    /** Returns whether the engine offers the OCI runtime {@code name}, such as {@code runsc}. */
    public boolean hasRuntime(String name) {
        Info info = client.infoCmd().exec();
        Map<String, ?> runtimes = info.getRuntimes();
        return runtimes != null && runtimes.containsKey(name);
    }

    /**
     * Returns the engine's own message for a failed call, such as {@code Conflict. The container
     * name "/x" is already in use}, without docker-java's status prefix.
     */
    public static String describe(Throwable failure) {
        if (failure instanceof DockerException docker) {
            Matcher matcher = STATUS_BODY.matcher(String.valueOf(docker.getMessage()));
            if (matcher.find()) {
                try {
                    JsonNode body = JSON.readTree(matcher.group(2));
                    if (body.hasNonNull("message")) {
                        return "the engine answered " + matcher.group(1) + ": " + body.get("message").asText();
                    }
                } catch (IOException e) {
                    return "the engine answered " + docker.getHttpStatus() + ": " + docker.getMessage();
                }
            }
            return "the engine answered " + docker.getHttpStatus() + ": " + docker.getMessage();
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // Closing only releases pooled connections; nothing the user could act on.
        }
    }
}
