package dev.claudebottle.launcher.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.launcher.TestHome;
import dev.claudebottle.launcher.plan.BottlePlan;
import dev.claudebottle.launcher.plan.ContainerRuntime;
import dev.claudebottle.launcher.plan.Planner;
import dev.claudebottle.launcher.preflight.PreflightReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleConfigRendererTest {

    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    @TempDir
    Path temporaryFolder;

    private BottlePlan plan(String bottleYaml) {
        TestHome home = new TestHome(temporaryFolder);
        home.bottle("box", bottleYaml);
        home.agent("dev", "bottle: box\n");
        Planner planner = new Planner(() -> new ContainerRuntime("runc", "test"),
                home.userHome.resolve(".claude/skills"), home.bottleHome.resolve("state"), agent -> agent + "-00000");
        return planner.plan(home.catalog().resolve("dev"));
    }

    @Test
    void privateHostsAndUpstreamCaRendered() throws Exception {
        Path ca = Files.writeString(temporaryFolder.resolve("ca.pem"), PEM);

        BottlePlan plan = plan("egress:\n  allowlist:\n    - api.standin.test\n    - other.example\n"
                + "  allow_private:\n    - api.standin.test\n  upstream_ca:\n    - " + ca + "\n");
        String yaml = BundleConfigRenderer.render(plan);

        assertThat(yaml).contains("- host: api.standin.test\n    allow_private: true\n");
        assertThat(yaml).contains("- host: other.example\n");
        assertThat(yaml).doesNotContain("other.example\n    allow_private");
        assertThat(yaml).contains("upstream_ca:\n  - /state/upstream-ca/0.pem\n");
        assertThat(PreflightReport.render(plan)).contains("may reach private addresses: api.standin.test",
                "also trusts the CAs in " + ca);
    }

    @Test
    void noPrivateHostsByDefault() {
        String yaml = BundleConfigRenderer.render(plan("egress:\n  allowlist:\n    - a.example\n"));

        assertThat(yaml).doesNotContain("allow_private").doesNotContain("upstream_ca");
    }

    @Test
    void upstreamCaCopiedReadable() throws Exception {
        Path ca = Files.writeString(temporaryFolder.resolve("ca.pem"), PEM);
        BottlePlan plan = plan("egress:\n  upstream_ca:\n    - " + ca + "\n");
        Path mount = Files.createDirectories(temporaryFolder.resolve("mount"));

        UpstreamCaFiles.copy(plan.bottle(), mount);

        Path copied = mount.resolve("upstream-ca/0.pem");
        assertThat(copied).hasContent(PEM.strip());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copied))).isEqualTo("rw-r--r--");
    }
}
