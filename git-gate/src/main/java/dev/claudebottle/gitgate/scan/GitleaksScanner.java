package dev.claudebottle.gitgate.scan;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs the gitleaks binary over a directory in {@code --no-git} mode and reads its JSON report.
 *
 * <p>Only two outcomes count as a result: exit 0 with an empty report, or exit
 * {@link #LEAKS_EXIT_CODE} with a non-empty one. Anything else (binary missing, another exit
 * code, a timeout, a report that is missing or unreadable) is a {@link ScanFailedException}, so
 * the caller rejects the push.
 *
 * <p>The process gets an argument list (no shell), an environment holding only {@code PATH} and
 * {@code HOME} (so neither {@code GITLEAKS_CONFIG} nor any secret of the gate reaches it), the
 * gate's config through {@code --config}, and {@code --redact} so no secret value is written to
 * the report or its output.
 */
public final class GitleaksScanner {

    /** Exit code passed to gitleaks for "leaks found"; gitleaks itself uses 1 for errors. */
    public static final int LEAKS_EXIT_CODE = 42;

    private static final Logger LOG = LoggerFactory.getLogger(GitleaksScanner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STDERR_TAIL_CHARS = 2000;

    private final Path executable;
    private final Path config;
    private final Duration timeout;

    public GitleaksScanner(Path executable, Path config, Duration timeout) {
        this.executable = executable;
        this.config = config.toAbsolutePath();
        this.timeout = timeout;
    }

    /**
     * Scans {@code source} and returns the raw findings, with paths relative to {@code source}.
     *
     * @param workDir directory for the report and the process output, outside {@code source}
     * @throws ScanFailedException when gitleaks does not complete with a usable result
     */
    public List<RawFinding> scan(Path source, Path workDir) throws ScanFailedException {
        Path report = workDir.resolve("gitleaks-report.json");
        Path output = workDir.resolve("gitleaks-output.txt");
        Process process = start(source, workDir, report, output);
        int exit = awaitExit(process, output);

        if (exit != 0 && exit != LEAKS_EXIT_CODE) {
            LOG.warn("gitleaks exited with {}; output: {}", exit, tail(output));
            throw new ScanFailedException("gitleaks failed with exit code " + exit);
        }
        List<RawFinding> findings = readReport(report, source);
        if ((exit == LEAKS_EXIT_CODE) != !findings.isEmpty()) {
            throw new ScanFailedException("gitleaks exit code " + exit + " contradicts its report of "
                    + findings.size() + " findings");
        }
        return findings;
    }

    private Process start(Path source, Path workDir, Path report, Path output) throws ScanFailedException {
        List<String> command = List.of(
                resolveExecutable(), "detect", "--no-git",
                "--source", source.toAbsolutePath().toString(),
                "--config", config.toString(),
                "--report-format", "json",
                "--report-path", report.toAbsolutePath().toString(),
                "--exit-code", Integer.toString(LEAKS_EXIT_CODE),
                "--redact", "--no-banner", "--log-level", "warn");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        environment.put("HOME", workDir.toAbsolutePath().toString());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new ScanFailedException("gitleaks could not be started from '" + executable
                    + "' (" + e.getMessage() + "); install gitleaks or fix the gitleaks path", e);
        }
    }

    private int awaitExit(Process process, Path output) throws ScanFailedException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyTree(process);
                LOG.warn("gitleaks timed out after {} s; output: {}", timeout.toSeconds(), tail(output));
                throw new ScanFailedException("gitleaks timed out after " + timeout.toSeconds() + " s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            destroyTree(process);
            Thread.currentThread().interrupt();
            throw new ScanFailedException("interrupted while waiting for gitleaks", e);
        }
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns true when the configured gitleaks path resolves to an executable file. */
    public boolean isInstalled() {
        return Files.isExecutable(Path.of(resolveExecutable()));
    }

    /** Resolves a bare command name on the gate's own PATH, since the child gets a fixed one. */
    private String resolveExecutable() {
        if (executable.getNameCount() > 1 || executable.isAbsolute()) {
            return executable.toString();
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(executable);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return executable.toString();
    }

    private static List<RawFinding> readReport(Path report, Path source) throws ScanFailedException {
        JsonNode root;
        try {
            root = JSON.readTree(report.toFile());
        } catch (IOException e) {
            throw new ScanFailedException("gitleaks report is missing or not JSON (" + e.getClass().getSimpleName() + ")", e);
        }
        if (root == null || !root.isArray()) {
            throw new ScanFailedException("gitleaks report is not a JSON array");
        }
        String sourcePrefix = source.toAbsolutePath().normalize() + "/";
        List<RawFinding> findings = new ArrayList<>();
        for (JsonNode node : root) {
            String file = node.path("File").asText("");
            if (file.startsWith(sourcePrefix)) {
                file = file.substring(sourcePrefix.length());
            }
            findings.add(new RawFinding(node.path("RuleID").asText("unknown-rule"), file, node.path("StartLine").asInt(0)));
        }
        return findings;
    }

    private static String tail(Path output) {
        try {
            String text = Files.readString(output, StandardCharsets.UTF_8);
            return text.length() <= STDERR_TAIL_CHARS ? text : text.substring(text.length() - STDERR_TAIL_CHARS);
        } catch (IOException e) {
            return "(no output: " + e.getClass().getSimpleName() + ")";
        }
    }

    /**
     * One entry of the gitleaks report.
     *
     * @param file path relative to the scanned directory
     */
    public record RawFinding(String ruleId, String file, int line) {
    }
}
