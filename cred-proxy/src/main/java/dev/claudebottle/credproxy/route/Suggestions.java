package dev.claudebottle.credproxy.route;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known word closest to a misspelt one, for "did you mean" hints. */
final class Suggestions {

    private Suggestions() {
    }

    /**
     * Returns the candidate within edit distance 2 of {@code word} (ignoring case and the
     * difference between '-' and '_'), preferring the closest.
     */
    static Optional<String> closest(String word, Collection<String> candidates) {
        String target = fold(word);
        String best = null;
        int bestDistance = 3;
        for (String candidate : candidates) {
            int distance = editDistance(target, fold(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Returns {@code "; did you mean 'x'?"} or an empty string when nothing is close. */
    static String hint(String word, Collection<String> candidates) {
        return closest(word, candidates).map(match -> "; did you mean '" + match + "'?").orElse("");
    }

    private static String fold(String word) {
        return word.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Levenshtein distance, two-row form; inputs are short manifest words. */
    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
