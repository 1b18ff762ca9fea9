package dev.claudebottle.launcher.manifest.internal;

import java.util.Optional;

/**
 * A manifest split into its YAML frontmatter and its Markdown body. The frontmatter sits
 * between a first line {@code ---} and the next line {@code ---}; the body is everything after.
 *
 * @param yaml the frontmatter text without the delimiter lines
 * @param firstYamlLine the 1-based line of the file on which {@code yaml} starts
 * @param body the body with surrounding blank space removed
 */
public record Frontmatter(String yaml, int firstYamlLine, String body) {

    private static final String DELIMITER = "---";

    /** Splits {@code content}, reporting a missing opening or closing delimiter to {@code problems}. */
    public static Optional<Frontmatter> split(String content, Problems problems) {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        int firstEnd = lineEnd(text, 0);
        if (!stripCarriageReturn(text.substring(0, firstEnd)).equals(DELIMITER)) {
            problems.add(new Position(1, 1), "the file does not start with a --- line",
                    "begin the file with ---, the frontmatter keys, and another --- line; the prompt follows");
            return Optional.empty();
        }
        int lineStart = nextLine(text, firstEnd);
        int line = 2;
        while (lineStart < text.length()) {
            int end = lineEnd(text, lineStart);
            if (stripCarriageReturn(text.substring(lineStart, end)).equals(DELIMITER)) {
                String yaml = text.substring(nextLine(text, firstEnd), lineStart);
                String body = text.substring(nextLine(text, end));
                return Optional.of(new Frontmatter(yaml, 2, body.strip()));
            }
            lineStart = nextLine(text, end);
            line++;
        }
        problems.add(new Position(line, 1), "the frontmatter has no closing --- line",
                "add a line --- after the last key");
        return Optional.empty();
    }

    private static int lineEnd(String text, int from) {
        int newline = text.indexOf('\n', from);
        return newline < 0 ? text.length() : newline;
    }

    private static int nextLine(String text, int lineEnd) {
        return Math.min(lineEnd + 1, text.length());
    }

    private static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
