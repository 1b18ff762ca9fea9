package dev.claudebottle.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.bundle.supervision.HealthListener;
import dev.claudebottle.bundle.supervision.HealthReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Publishes the bundle's health as files, so the launcher and Docker's HEALTHCHECK can read it
 * without a network call or a second JVM.
 *
 * <ul>
 *   <li>{@code ready} exists while every configured service is listening;</li>
 *   <li>{@code unhealthy} exists, holding one line naming the service and the cause, once a
 *       service failed too often;</li>
 *   <li>{@code health.json} always holds the latest full report.</li>
 * </ul>
 * Each file is written to a temporary name and renamed, so a reader never sees half a file.
 */
public final class HealthFiles implements HealthListener {

    public static final String READY = "ready";
    public static final String UNHEALTHY = "unhealthy";
    public static final String REPORT = "health.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;

    public HealthFiles(Path directory) {
        this.directory = directory;
    }

    @Override
    public void healthChanged(HealthReport report) {
        try {
            Files.createDirectories(directory);
            writeAtomically(REPORT, JSON.writeValueAsString(report));
            Optional<HealthReport.ServiceHealth> unhealthy = report.unhealthy();
            if (unhealthy.isPresent()) {
                HealthReport.ServiceHealth service = unhealthy.get();
                writeAtomically(UNHEALTHY, service.name() + " failed " + service.recentFailures()
                        + " times within a minute; last cause: " + service.lastError() + "\n");
            } else {
                Files.deleteIfExists(directory.resolve(UNHEALTHY));
            }
            if (report.ready()) {
                writeAtomically(READY, "ready\n");
            } else {
                Files.deleteIfExists(directory.resolve(READY));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bundle's health files in " + directory, e);
        }
    }

    private void writeAtomically(String name, String content) throws IOException {
        Path temporary = directory.resolve("." + name + ".tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }
}
