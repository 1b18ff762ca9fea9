package dev.claudebottle.credproxy.route;

import java.util.Locale;
import java.util.Optional;

/**
 * An inbound request target checked so that no spelling of it can reach a different route,
 * or leave a route's base path, once the upstream decodes it.
 *
 * <p>Rather than resolving dot segments, this rejects every form that servers disagree on:
 * {@code .} and {@code ..} segments (also with a {@code ;param} suffix, or spelled with
 * {@code %2e}), empty segments ({@code //}), backslashes raw or as {@code %5c}, {@code %25}
 * (which invites double decoding), NUL and control characters, malformed escapes, fragments
 * and non-origin forms. Well-behaved clients normalise paths before sending, so these appear
 * only in attacks or bugs.
 *
 * <p>An encoded slash ({@code %2f}) stays allowed because npm sends scoped package names
 * that way ({@code /@scope%2fname}); each piece between encoded slashes gets the same
 * dot and empty checks, so an upstream that decodes {@code %2f} still cannot climb out of
 * the route's base path. Route matching compares raw segments, so {@code /a%2fb} never
 * matches the route {@code /a/b/}. Other escapes are kept as sent, so the upstream receives
 * the bytes the client wrote.
 *
 * @param path  the path, starting with {@code /}, percent-encoded as received
 * @param query the raw query after {@code ?}, or null when there is none
 */
public record RequestPath(String path, String query) {

    /**
     * Checks the request target of an inbound request.
     *
     * @return the path and query, or empty when the target is ambiguous; see
     *         {@link #problem(String)} for the reason
     */
    public static Optional<RequestPath> parse(String target) {
        if (problem(target) != null) {
            return Optional.empty();
        }
        int question = target.indexOf('?');
        return Optional.of(question < 0
                ? new RequestPath(target, null)
                : new RequestPath(target.substring(0, question), target.substring(question + 1)));
    }

    /** Returns why {@code target} is rejected, or null when it is acceptable. */
    public static String problem(String target) {
        if (target == null || target.isEmpty() || target.charAt(0) != '/') {
            return "the request target must be a path starting with '/' (origin form), not a full URL";
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return "the request target contains a space, control or non-ASCII character; percent-encode it";
            }
            if (c == '#') {
                return "the request target contains a fragment ('#'), which clients must not send";
            }
        }
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        return pathProblem(path);
    }

    private static String pathProblem(String path) {
        if (path.indexOf('\\') >= 0) {
            return "the path contains a backslash";
        }
        String problem = escapeProblem(path);
        if (problem != null || path.length() == 1) {
            return problem;
        }
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            if (segments[i].isEmpty() && !last) {
                return "the path contains an empty segment ('//')";
            }
            problem = segmentProblem(segments[i]);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** Checks each piece of a segment between encoded slashes, with {@code %2e} read as a dot. */
    private static String segmentProblem(String segment) {
        String decoded = segment.replaceAll("(?i)%2e", ".").replaceAll("(?i)%2f", "/");
        String[] pieces = decoded.split("/", -1);
        for (String piece : pieces) {
            if (piece.isEmpty() && pieces.length > 1) {
                return "the path contains an empty segment around an encoded slash (%2f)";
            }
            String beforeParameters = piece.contains(";") ? piece.substring(0, piece.indexOf(';')) : piece;
            if (beforeParameters.equals(".") || beforeParameters.equals("..")) {
                return "the path contains a '.' or '..' segment (raw or percent-encoded)";
            }
        }
        return null;
    }

    /** Rejects malformed escapes and escapes of '\', '%' and NUL. */
    private static String escapeProblem(String path) {
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length() || hex(path.charAt(i + 1)) < 0 || hex(path.charAt(i + 2)) < 0) {
                return "the path contains a malformed percent escape";
            }
            String escape = path.substring(i + 1, i + 3).toLowerCase(Locale.ROOT);
            switch (escape) {
                case "5c", "00", "25":
                    return "the path contains a percent-encoded '\\', '%' or NUL (%" + escape + ")";
                default:
                    break;
            }
        }
        return null;
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
