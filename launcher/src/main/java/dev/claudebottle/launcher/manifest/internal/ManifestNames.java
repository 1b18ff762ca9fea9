package dev.claudebottle.launcher.manifest.internal;

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

    /** Returns the rule as users read it in warnings and errors. */
    public static String rule() {
        return "a lower-case letter followed by lower-case letters, digits and '-', at most " + MAX_LENGTH
                + " characters";
    }
}
