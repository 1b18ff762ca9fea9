package dev.claudebottle.dlp;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One detection rule, as read from a rule file.
 *
 * <p>Matching contract: the scanner finds the rule's keywords (ASCII case-insensitive) in one pass
 * and tries {@link #regex()} only at the start of each keyword occurrence, with
 * {@link java.util.regex.Matcher#lookingAt()} over at most {@link #maxLength()} bytes. So a rule's
 * regex must begin by matching one of its keywords. Boundaries and lookarounds may look outside that
 * window. The secret is capture group {@link #secretGroup()} (0 for the whole match). It is
 * reported only when its Shannon entropy reaches {@link #entropy()}, it is not in
 * {@link #allowlist()} and it contains none of the {@link #stopwords()}.
 */
public final class Rule {
    /** Largest accepted {@link #maxLength()}: it bounds the held-back tail of a stream. */
    public static final int MAX_LENGTH_LIMIT = 1024;

    private final String id;
    private final String description;
    private final String regex;
    private final Pattern pattern;
    private final int secretGroup;
    private final List<String> keywords;
    private final double entropy;
    private final Set<String> allowlist;
    private final List<String> stopwords;
    private final int maxLength;

    /**
     * Creates a rule and checks it.
     *
     * @throws IllegalArgumentException naming the field that is invalid; {@link RuleSet} turns this
     *     into a {@link RuleFileException} with the file name
     */
    public Rule(String id, String description, String regex, int secretGroup, List<String> keywords,
            double entropy, Set<String> allowlist, List<String> stopwords, int maxLength) {
        this.id = requireText(id, "id");
        this.description = requireText(description, "description");
        this.regex = requireText(regex, "regex");
        try {
            this.pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex: " + e.getDescription() + " near index " + e.getIndex(), e);
        }
        if (secretGroup < 0 || secretGroup > pattern.matcher("").groupCount()) {
            throw new IllegalArgumentException("secretGroup " + secretGroup + " does not exist; the regex has "
                    + pattern.matcher("").groupCount() + " capture groups");
        }
        this.secretGroup = secretGroup;
        if (keywords == null || keywords.isEmpty()) {
            throw new IllegalArgumentException("keywords are missing; every rule needs at least one for the prefilter");
        }
        for (String keyword : keywords) {
            if (keyword == null || keyword.length() < 2 || !isAscii(keyword)) {
                throw new IllegalArgumentException("keyword '" + keyword + "' is invalid; use printable ASCII of 2 or more characters");
            }
        }
        this.keywords = keywords.stream().distinct().toList();
        if (!(entropy >= 0 && entropy <= 8)) {
            throw new IllegalArgumentException("entropy " + entropy + " is out of range; use bits per byte from 0 to 8");
        }
        this.entropy = entropy;
        this.allowlist = Set.copyOf(allowlist);
        this.stopwords = stopwords.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        if (maxLength < 8 || maxLength > MAX_LENGTH_LIMIT) {
            throw new IllegalArgumentException("maxLength " + maxLength + " is out of range; use 8 to " + MAX_LENGTH_LIMIT);
        }
        this.maxLength = maxLength;
    }

    private static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is missing");
        }
        return value;
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    /** Stable id, such as {@code github-pat}. */
    public String id() {
        return id;
    }

    /** Returns one line saying what kind of secret the rule finds. */
    public String description() {
        return description;
    }

    /** Returns the regex as written in the rule file (Java syntax). */
    public String regex() {
        return regex;
    }

    /** Returns the compiled {@link #regex()}. */
    public Pattern pattern() {
        return pattern;
    }

    /** Capture group holding the secret; 0 means the whole match. */
    public int secretGroup() {
        return secretGroup;
    }

    /**
     * Keywords as written in the rule file. They are matched ASCII case-insensitively, and their
     * base64 and hex forms (as written, lower and upper case) trigger decoding.
     */
    public List<String> keywords() {
        return keywords;
    }

    /** Minimum Shannon entropy of the secret in bits per byte; 0 means no floor. */
    public double entropy() {
        return entropy;
    }

    /** Exact secret values that are documented examples and never reported. */
    public Set<String> allowlist() {
        return allowlist;
    }

    /** Lower-case substrings that mark a secret as a placeholder (such as {@code example}). */
    public List<String> stopwords() {
        return stopwords;
    }

    /** Longest match in bytes, counted from the keyword's start. */
    public int maxLength() {
        return maxLength;
    }

    @Override
    public String toString() {
        return "Rule[" + id + "]";
    }
}
