package dev.claudebottle.launcher.plan;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * A bottle identity, {@code <agent>-<5 base-36 characters>}: it names the bottle's containers,
 * networks and state folder, and {@code resume} takes it.
 */
public final class Identity {

    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final int SUFFIX_LENGTH = 5;
    private static final Pattern SHAPE = Pattern.compile("[a-z][a-z0-9-]*-[0-9a-z]{" + SUFFIX_LENGTH + "}");

    private Identity() {
    }

    /** Creates a fresh identity for {@code agent} from a cryptographic random source. */
    public static String mint(String agent) {
        return mint(agent, new SecureRandom());
    }

    static String mint(String agent, RandomGenerator random) {
        StringBuilder identity = new StringBuilder(agent).append('-');
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            identity.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return identity.toString();
    }

    /** Returns whether {@code text} has the shape of an identity. */
    public static boolean isWellFormed(String text) {
        return SHAPE.matcher(text).matches();
    }
}
