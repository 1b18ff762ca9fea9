package dev.claudebottle.launcher.manifest;

import java.nio.file.Path;
import java.util.Comparator;

/**
 * One problem found in a manifest file, with its position and the change that resolves it.
 *
 * @param file the manifest file
 * @param line 1-based line in the file, or 0 when the problem concerns the whole file
 * @param column 1-based column, or 0 when the problem concerns the whole file or line
 * @param reason what is wrong, naming the key or value
 * @param fix what to write instead
 */
public record ManifestProblem(Path file, int line, int column, String reason, String fix) {

    /** Orders problems by file, then by position. */
    public static final Comparator<ManifestProblem> BY_POSITION = Comparator
            .comparing((ManifestProblem problem) -> problem.file().toString())
            .thenComparingInt(ManifestProblem::line)
            .thenComparingInt(ManifestProblem::column);

    /** Creates a problem that concerns the whole file rather than one position. */
    public static ManifestProblem ofFile(Path file, String reason, String fix) {
        return new ManifestProblem(file, 0, 0, reason, fix);
    }

    /** Formats the problem as {@code file:line:column: reason; fix}, the way compilers do. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(file.toString());
        if (line > 0) {
            text.append(':').append(line);
            if (column > 0) {
                text.append(':').append(column);
            }
        }
        text.append(": ").append(reason);
        if (!fix.isEmpty()) {
            text.append("; ").append(fix);
        }
        return text.toString();
    }
}
