package dev.claudebottle.egress.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

import io.netty.util.NetUtil;

/**
 * Recognises IP literals in every spelling that a URL parser or {@code inet_aton(3)} accepts, so
 * that {@code 0x7f.1}, {@code 017700000001}, {@code 2130706433} and {@code [::ffff:127.0.0.1]} are
 * all seen as 127.0.0.1 and never reach DNS as names. Hand-written because the JDK's parser
 * accepts only dotted decimal and would send the other forms to the resolver.
 */
public final class IpLiterals {

    private IpLiterals() {
    }

    /**
     * Parses {@code host} as an IP literal.
     *
     * @return the address, or empty when {@code host} is a name
     * @throws IllegalArgumentException when {@code host} looks numeric but is no valid address
     *     (for example {@code 256.1.1.1} or {@code 1.2.3.4.5}), or is IPv6 with a zone id
     */
    public static Optional<InetAddress> parse(String host) {
        String h = host;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.indexOf(':') >= 0) {
            return Optional.of(parseIpv6(h, host));
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        String[] parts = h.split("\\.", -1);
        if (!isNumericPart(parts[parts.length - 1])) {
            return Optional.empty();
        }
        return Optional.of(parseIpv4(parts, host));
    }

    /** Returns the canonical text of an address: dotted decimal, or compressed IPv6. */
    public static String canonical(InetAddress address) {
        return NetUtil.toAddressString(address);
    }

    private static InetAddress parseIpv6(String text, String original) {
        if (text.indexOf('%') >= 0) {
            throw new IllegalArgumentException("IPv6 literal '" + original
                    + "' carries a zone id, which is not allowed in a URL host");
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes == null || bytes.length != 16) {
            throw new IllegalArgumentException("'" + original + "' is not a valid IPv6 address");
        }
        return byAddress(bytes);
    }

    private static InetAddress parseIpv4(String[] parts, String original) {
        if (parts.length > 4) {
            throw invalidIpv4(original, "has more than four parts");
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!isNumericPart(parts[i])) {
                throw invalidIpv4(original, "part '" + parts[i] + "' is not a number");
            }
            values[i] = parseNumber(parts[i], original);
        }

        // inet_aton: each leading part is one byte, the last part fills the remaining bytes.
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                throw invalidIpv4(original, "part '" + parts[i] + "' is larger than 255");
            }
            address |= values[i] << (8 * (3 - i));
        }
        int lastBytes = 4 - (parts.length - 1);
        long last = values[parts.length - 1];
        if (last >= (1L << (8 * lastBytes))) {
            throw invalidIpv4(original, "last part is too large");
        }
        address |= last;
        byte[] bytes = {
            (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address
        };
        return byAddress(bytes);
    }

    private static boolean isNumericPart(String part) {
        if (part.isEmpty()) {
            return false;
        }
        String p = part.toLowerCase(Locale.ROOT);
        if (p.startsWith("0x")) {
            return p.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }
        return p.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static long parseNumber(String part, String original) {
        String p = part.toLowerCase(Locale.ROOT);
        int radix = 10;
        if (p.startsWith("0x")) {
            p = p.substring(2);
            radix = 16;
        } else if (p.length() > 1 && p.startsWith("0")) {
            p = p.substring(1);
            radix = 8;
        }
        if (p.isEmpty()) {
            return 0;
        }
        if (p.length() > 12) {
            throw invalidIpv4(original, "part '" + part + "' is too long");
        }
        try {
            return Long.parseLong(p, radix);
        } catch (NumberFormatException e) {
            throw invalidIpv4(original, "part '" + part + "' is not a valid base-" + radix + " number");
        }
    }

    private static IllegalArgumentException invalidIpv4(String original, String problem) {
        return new IllegalArgumentException("host '" + original + "' looks like an IPv4 address but "
                + problem);
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4- or 16-byte array is always a valid address", e);
        }
    }
}
