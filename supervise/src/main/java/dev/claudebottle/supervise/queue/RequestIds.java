package dev.claudebottle.supervise.queue;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Request ids: UTC time to the second, then 8 random hex digits, such as
 * {@code 20261204T203501Z-3f9a2c1b}. Ids sort by creation time, and the strict pattern keeps an id
 * from naming any file outside the queue directory.
 */
public final class RequestIds {

    private static final Pattern ID = Pattern.compile("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private RequestIds() {
    }

    public static String newId(Instant now) {
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        return TIME.format(now) + "-" + HexFormat.of().formatHex(suffix);
    }

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The pattern as text, for JSON Schemas and error messages. */
    public static String pattern() {
        return "^" + ID.pattern() + "$";
    }
}
