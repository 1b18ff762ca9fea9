package dev.claudebottle.launcher.manifest.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/** The rule for bottle and agent names, which are also their file names without {@code .md}. */
public final class ManifestNames {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    /** Keeps names usable in container, network and host names, whose labels stop at 63 characters. */
    public static final int MAX_LENGTH = 40;

    private ManifestNames() {
    }

    public static boolean isValid(String name) {
        return name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
    }

    /**
     * Returns a valid name close to {@code name}: lower case, other characters as '-', and a
     * leading letter, for the rename hint.
     */
    public static String suggest(String name) {
        String lower = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("-{2,}", "-").replaceAll("^-+|-+$", "");
        if (lower.isEmpty() || !Character.isLetter(lower.charAt(0))) {
            lower = "m-" + lower;
        }
        lower = lower.length() > MAX_LENGTH ? lower.substring(0, MAX_LENGTH).replaceAll("-+$", "") : lower;
        return isValid(lower) ? lower : "my-manifest";
    }

    /** Returns the rule as users read it in warnings and errors. */
    public static String rule() {
        return "a lower-case letter followed by lower-case letters, digits and '-', at most " + MAX_LENGTH
                + " characters";
    }
}
