package dev.claudebottle.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Ordinary source code must produce no findings: several MB of the JDK's own sources, from the
 * {@code lib/src.zip} of the running JDK, or of any JDK under {@code /usr/lib/jvm} (such as a
 * Temurin install) when the running one ships without sources.
 */
class JdkSourceFalsePositiveTest {
    private static final long MIN_BYTES = 12L * 1024 * 1024;

    @Test
    void jdkSourcesHaveNoFindings() throws IOException {
        Path srcZip = findSrcZip();
        assumeTrue(srcZip != null, "no lib/src.zip in java.home or /usr/lib/jvm; install the JDK's source package");
        SecretScanner scanner = SecretScanner.withBuiltInRules();
        List<String> problems = new ArrayList<>();
        long scanned = 0;

        try (ZipFile zip = new ZipFile(srcZip.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements() && scanned < MIN_BYTES) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory() || !entry.getName().endsWith(".java")) {
                    continue;
                }
                byte[] source = zip.getInputStream(entry).readAllBytes();
                scanned += source.length;
                for (Finding finding : scanner.scan(source)) {
                    problems.add(entry.getName() + " @" + finding.start() + " " + finding.ruleId() + " " + finding.redacted());
                }
            }
        }

        assertThat(scanned).isGreaterThanOrEqualTo(MIN_BYTES);
        assertThat(problems).isEmpty();
    }

    static Path findSrcZip() throws IOException {
        Path own = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        if (Files.isReadable(own)) {
            return own;
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> candidates = Files.list(jvms)) {
            return candidates.map(jdk -> jdk.resolve("lib/src.zip")).filter(Files::isReadable).sorted().findFirst().orElse(null);
        }
    }
}
