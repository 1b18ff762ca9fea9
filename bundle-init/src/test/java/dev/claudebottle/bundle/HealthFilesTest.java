package dev.claudebottle.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.bundle.supervision.HealthReport;
import dev.claudebottle.bundle.supervision.HealthReport.ServiceHealth;
import dev.claudebottle.bundle.supervision.ServiceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthFilesTest {

    @TempDir
    Path directory;

    @Test
    void readyFileExistsOnlyWhileAllServicesRun() {
        HealthFiles files = new HealthFiles(directory);

        files.healthChanged(report(running("egress"), new ServiceHealth("git-gate", ServiceState.STARTING, 0, 0, null, false)));
        assertThat(directory.resolve(HealthFiles.READY)).doesNotExist();

        files.healthChanged(report(running("egress"), running("git-gate")));
        assertThat(directory.resolve(HealthFiles.READY)).exists();

        files.healthChanged(report(running("egress"), new ServiceHealth("git-gate", ServiceState.BACKING_OFF, 1, 1, "crashed", false)));
        assertThat(directory.resolve(HealthFiles.READY)).doesNotExist();
    }

    @Test
    void unhealthyFileNamesServiceAndCause() throws Exception {
        HealthFiles files = new HealthFiles(directory);

        files.healthChanged(report(running("egress"),
                new ServiceHealth("git-gate", ServiceState.BACKING_OFF, 5, 5, "port 9418 is taken", true)));

        assertThat(Files.readString(directory.resolve(HealthFiles.UNHEALTHY)))
                .contains("git-gate failed 5 times").contains("port 9418 is taken");
        assertThat(Files.readString(directory.resolve(HealthFiles.REPORT))).contains("\"givenUp\":true");
        assertThat(directory.resolve(HealthFiles.READY)).doesNotExist();
    }

    @Test
    void reportIsReplacedWithoutTemporaryFilesLeft() throws Exception {
        HealthFiles files = new HealthFiles(directory);

        files.healthChanged(report(running("egress")));
        files.healthChanged(report(running("egress"), running("dns")));

        assertThat(Files.readString(directory.resolve(HealthFiles.REPORT))).contains("\"dns\"");
        try (var entries = Files.list(directory)) {
            assertThat(entries.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    private static ServiceHealth running(String name) {
        return new ServiceHealth(name, ServiceState.RUNNING, 0, 0, null, false);
    }

    private static HealthReport report(ServiceHealth... services) {
        return new HealthReport(List.of(services));
    }
}
