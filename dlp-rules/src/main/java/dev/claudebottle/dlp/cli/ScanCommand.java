package dev.claudebottle.dlp.cli;

import dev.claudebottle.dlp.DlpException;
import dev.claudebottle.dlp.Finding;
import dev.claudebottle.dlp.SecretScanner;
import dev.claudebottle.dlp.StreamScan;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Scans files, directories (recursively, skipping {@code .git} directories and symbolic links)
 * and standard input ({@code -}), and prints one JSON object per finding on its own line.
 *
 * <p>Each input is streamed in 64 KiB chunks through a {@link StreamScan}, so memory stays bounded
 * whatever the size, and binary input is scanned like any other bytes.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Scans files, directories or standard input (-) for secrets.",
                "Prints one JSON line per finding: file, line, column, ruleId, description, redacted, encoding.",
                "Exit code: 0 clean, 1 secrets found, 2 error."})
final class ScanCommand implements Callable<Integer> {
    private static final int CHUNK = 64 * 1024;

    @Mixin
    RuleOptions ruleOptions = new RuleOptions();

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR|-", description = "What to scan; - reads standard input.")
    List<String> inputs;

    @Spec
    CommandSpec spec;

    private int found;

    @Override
    public Integer call() throws IOException {
        SecretScanner scanner = SecretScanner.builder().rules(ruleOptions.load()).build();
        PrintWriter out = spec.commandLine().getOut();
        for (String input : inputs) {
            if (input.equals("-")) {
                scanStream("-", System.in, scanner, out);
            } else {
                scanPath(Path.of(input), scanner, out);
            }
        }
        out.flush();
        return found > 0 ? DlpCommand.EXIT_FOUND : 0;
    }

    private void scanPath(Path given, SecretScanner scanner, PrintWriter out) throws IOException {
        if (!Files.exists(given)) {
            throw new DlpException(given + ": no such file or directory");
        }
        if (Files.isRegularFile(given)) {
            scanFile(given, scanner, out);
            return;
        }
        // A directory named through a symbolic link is walked; links inside it are not followed.
        Path path = given.toRealPath();
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.getFileName() != null && dir.getFileName().toString().equals(".git") && !dir.equals(path)
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        for (Path file : files) {
            scanFile(given.resolve(path.relativize(file)), scanner, out);
        }
    }

    private void scanFile(Path file, SecretScanner scanner, PrintWriter out) {
        try (InputStream in = Files.newInputStream(file)) {
            scanStream(file.toString(), in, scanner, out);
        } catch (IOException e) {
            throw new DlpException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void scanStream(String name, InputStream in, SecretScanner scanner, PrintWriter out) throws IOException {
        StreamScan scan = scanner.newStream();
        LineIndex lines = new LineIndex();
        byte[] chunk = new byte[CHUNK];
        int n;
        while ((n = in.read(chunk)) > 0) {
            lines.add(chunk, 0, n);
            print(name, scan.feed(chunk, 0, n), lines, out);
            lines.forgetBefore(scan.releasable() - scanner.holdBackBytes());
        }
        print(name, scan.finish(), lines, out);
    }

    private void print(String name, List<Finding> findings, LineIndex lines, PrintWriter out) {
        for (Finding finding : findings) {
            found++;
            long line = lines.lineOf(finding.start());
            long column = finding.start() - lines.lineStart(finding.start()) + 1;
            out.println("{\"file\":" + Json.quote(name)
                    + ",\"line\":" + line
                    + ",\"column\":" + column
                    + ",\"ruleId\":" + Json.quote(finding.ruleId())
                    + ",\"description\":" + Json.quote(finding.description())
                    + ",\"redacted\":" + Json.quote(finding.redacted())
                    + ",\"encoding\":" + Json.quote(finding.encoding()) + "}");
        }
    }
}
