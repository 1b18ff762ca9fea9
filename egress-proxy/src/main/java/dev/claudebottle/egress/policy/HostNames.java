package dev.claudebottle.egress.policy;

import java.net.IDN;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Normalises host names the same way for the allowlist, the resolve map and every request:
 * lower case, trailing dot dropped, internationalised names converted to punycode, and IP
 * literals in any spelling turned into their canonical text.
 */
public final class HostNames {

    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    private HostNames() {
    }

    /**
     * Returns the normalised form of {@code host}.
     *
     * @throws IllegalArgumentException naming the host and the problem when it is no valid
     *     DNS name or IP literal
     */
    public static String normalise(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        Optional<InetAddress> literal = IpLiterals.parse(host);
        if (literal.isPresent()) {
            return IpLiterals.canonical(literal.get());
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String ascii;
        try {
            ascii = (isPlainAsciiName(name) ? name : IDN.toASCII(name)).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("host '" + host + "' is not a valid name: "
                    + e.getMessage(), e);
        }
        checkLabels(host, ascii);
        return ascii;
    }

    /**
     * Normalises an allowlist pattern: a name as in {@link #normalise}, or {@code *.} followed
     * by one.
     */
    public static String normalisePattern(String pattern) {
        if (pattern.startsWith("*.")) {
            String suffix = normalise(pattern.substring(2));
            if (IpLiterals.parse(suffix).isPresent()) {
                throw new IllegalArgumentException("pattern '" + pattern
                        + "' puts a wildcard in front of an IP address; list the address itself");
            }
            return "*." + suffix;
        }
        if (pattern.contains("*")) {
            throw new IllegalArgumentException("pattern '" + pattern
                    + "' has a '*' that is not a leading '*.' label; write '*.example.com'");
        }
        return normalise(pattern);
    }

    /** Returns whether the normalised {@code host} is an IP literal. */
    public static boolean isIpLiteral(String normalisedHost) {
        return normalisedHost.indexOf(':') >= 0
                || normalisedHost.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * Returns whether {@code name} is ASCII with labels of 1 to 63 characters. IDN.toASCII
     * returns such a name unchanged, so the common case skips its copying; any other name,
     * including one it would reject, still goes through it.
     */
    private static boolean isPlainAsciiName(String name) {
        int labelLength = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            if (c == '.') {
                if (labelLength == 0) {
                    return false;
                }
                labelLength = 0;
            } else if (++labelLength > MAX_LABEL_LENGTH) {
                return false;
            }
        }
        return labelLength > 0;
    }

    private static void checkLabels(String original, String ascii) {
        if (ascii.isEmpty() || ascii.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("host '" + original + "' is empty or longer than "
                    + MAX_NAME_LENGTH + " characters");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException("host '" + original
                        + "' has an empty label or one longer than " + MAX_LABEL_LENGTH);
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                        || c == '_';
                if (!ok) {
                    throw new IllegalArgumentException("host '" + original
                            + "' contains the character '" + c + "', which no DNS name has");
                }
            }
        }
    }
}
