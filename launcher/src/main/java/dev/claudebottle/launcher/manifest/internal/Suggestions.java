package dev.claudebottle.launcher.manifest.internal;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Finds the closest valid name for a misspelt one, for "did you mean" hints. */
public final class Suggestions {

    private Suggestions() {
    }

    /** Returns the candidate closest to {@code input}, if it is close enough to be a likely typo. */
    public static Optional<String> closest(String input, Collection<String> candidates) {
        String lower = input.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .filter(candidate -> distance(lower, candidate.toLowerCase(Locale.ROOT)) <= allowedDistance(candidate))
                .min(Comparator.comparingInt(candidate -> distance(lower, candidate.toLowerCase(Locale.ROOT))));
    }

    /** Returns {@code " (did you mean 'x'?)"} or an empty string. */
    public static String hint(String input, Collection<String> candidates) {
        return closest(input, candidates).map(match -> " (did you mean '" + match + "'?)").orElse("");
    }

    private static int allowedDistance(String candidate) {
        return Math.max(1, Math.min(3, candidate.length() / 3));
    }

    /**
     * Computes the optimal string alignment distance: Levenshtein plus the swap of two adjacent
     * characters, the most common typo. Names are short, so the quadratic table is fine.
     */
    static int distance(String a, String b) {
        int[][] table = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            table[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            table[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                table[i][j] = Math.min(table[i - 1][j - 1] + cost, Math.min(table[i - 1][j], table[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    table[i][j] = Math.min(table[i][j], table[i - 2][j - 2] + 1);
                }
            }
        }
        return table[a.length()][b.length()];
    }
}
