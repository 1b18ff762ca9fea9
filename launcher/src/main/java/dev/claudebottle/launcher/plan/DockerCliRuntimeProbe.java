package dev.claudebottle.launcher.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the engine's runtimes with {@code docker info --format '{{json .Runtimes}}'}.
 *
 * <p>NOTE: this build has no Docker client library yet, because nothing before a container
 * needs one; the container step brings docker-java, and this probe should move onto it then.
 * Until then one CLI call answers this single question and creates nothing.
 */
public final class DockerCliRuntimeProbe implements RuntimeProbe {

    private static final long TIMEOUT_SECONDS = 10;

    @Override
    public ContainerRuntime choose() {
        ProcessBuilder builder = new ProcessBuilder(List.of("docker", "info", "--format", "{{json .Runtimes}}"))
                .redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new ContainerRuntime(ContainerRuntime.DEFAULT, "the docker command is not available");
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return new ContainerRuntime(ContainerRuntime.DEFAULT,
                        "docker info gave no answer within " + TIMEOUT_SECONDS + " s");
            }
            String text = output.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                return new ContainerRuntime(ContainerRuntime.DEFAULT, "the Docker engine is not reachable");
            }
            return fromRuntimesJson(text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ContainerRuntime(ContainerRuntime.DEFAULT, "interrupted while asking the Docker engine");
        } catch (ExecutionException | TimeoutException | IOException e) {
            return new ContainerRuntime(ContainerRuntime.DEFAULT, "docker info failed: " + e.getMessage());
        } finally {
            process.destroyForcibly();
        }
    }

    /** Chooses from the JSON object of runtimes that {@code docker info} prints. */
    static ContainerRuntime fromRuntimesJson(String json) {
        JsonNode runtimes;
        try {
            runtimes = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            return new ContainerRuntime(ContainerRuntime.DEFAULT, "docker info printed no runtime list");
        }
        if (runtimes != null && runtimes.has(ContainerRuntime.GVISOR)) {
            return new ContainerRuntime(ContainerRuntime.GVISOR, "the Docker engine offers gVisor");
        }
        return new ContainerRuntime(ContainerRuntime.DEFAULT,
                "the Docker engine offers no gVisor runtime named runsc; install gVisor for a stronger sandbox");
    }

    private static String readAll(InputStream input) {
        try (input) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            input.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
