package dev.claudebottle.egress.policy;

import java.util.Locale;

/**
 * Parses the request targets a forward proxy receives: the authority of a CONNECT request and the
 * absolute-form URI of a plain http request (RFC 9112, section 3.2). Hand-written instead of
 * {@link java.net.URI} because the proxy must see the host exactly as the client sent it (any IP
 * spelling, userinfo, trailing dots) to refuse what the allowlist does not name.
 */
public final class TargetParser {

    private TargetParser() {
    }

    /** A parsed absolute-form URI: the target and the origin-form path (with query) to send on. */
    public record AbsoluteUri(Target target, String originForm) {
    }

    /** The outcome of parsing: a value or the refusal to send. */
    public sealed interface Parsed<T> {
        /** Parsing succeeded. */
        record Ok<T>(T value) implements Parsed<T> {
        }

        /** The input is refused. */
        record Failed<T>(Refusal refusal) implements Parsed<T> {
        }
    }

    /** Parses {@code host:port} from a CONNECT request line; the port is required. */
    public static Parsed<Target> parseConnect(String authority) {
        return parseAuthority(authority, -1, true);
    }

    /**
     * Parses a {@code Host} header value or another authority, using {@code defaultPort} when the
     * value has none.
     */
    public static Parsed<Target> parseAuthority(String authority, int defaultPort, boolean tunnel) {
        if (authority == null || authority.isEmpty()) {
            return failed("missing_host", "the request names no host");
        }
        if (authority.indexOf('@') >= 0) {
            return failed("userinfo", "the target '" + redactUserinfo(authority)
                    + "' carries user information; credentials in URLs are not forwarded, "
                    + "send them in a header instead");
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return failed("invalid_host", "unterminated IPv6 literal in '" + authority + "'");
            }
            host = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (rest.startsWith(":")) {
                portText = rest.substring(1);
            } else if (!rest.isEmpty()) {
                return failed("invalid_host", "unexpected text after the IPv6 literal in '"
                        + authority + "'");
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0) {
                host = authority.substring(0, colon);
                portText = authority.substring(colon + 1);
            } else {
                host = authority;
            }
        }

        int port;
        if (portText == null || portText.isEmpty()) {
            if (defaultPort < 0) {
                return failed("missing_port", "CONNECT target '" + authority
                        + "' has no port; write host:port, for example " + host + ":443");
            }
            port = defaultPort;
        } else {
            port = parsePort(portText);
            if (port < 0) {
                return failed("invalid_port", "port '" + portText + "' in '" + authority
                        + "' is not a number from 1 to 65535");
            }
        }

        try {
            return new Parsed.Ok<>(new Target(HostNames.normalise(host), port, tunnel));
        } catch (IllegalArgumentException e) {
            return failed("invalid_host", e.getMessage());
        }
    }

    /** Parses an absolute-form {@code http://} request target. */
    public static Parsed<AbsoluteUri> parseAbsolute(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            return failed("https_absolute_form", "absolute-form https:// requests are not "
                    + "supported; let the client use CONNECT for https");
        }
        if (!lower.startsWith("http://")) {
            return failed("not_absolute_form", "a proxy request must use an absolute http:// URI "
                    + "or CONNECT; this one targets '" + truncate(uri) + "'");
        }
        if (uri.indexOf('#') >= 0) {
            return failed("fragment", "the request target contains a fragment ('#'), which "
                    + "clients must not send");
        }
        int authorityStart = "http://".length();
        int authorityEnd = authorityStart;
        while (authorityEnd < uri.length() && "/?".indexOf(uri.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = uri.substring(authorityStart, authorityEnd);
        String originForm = uri.substring(authorityEnd);
        if (originForm.isEmpty()) {
            originForm = "/";
        } else if (originForm.startsWith("?")) {
            originForm = "/" + originForm;
        }
        Parsed<Target> target = parseAuthority(authority, 80, false);
        if (target instanceof Parsed.Failed<Target> f) {
            return new Parsed.Failed<>(f.refusal());
        }
        return new Parsed.Ok<>(new AbsoluteUri(((Parsed.Ok<Target>) target).value(), originForm));
    }

    private static int parsePort(String text) {
        if (text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? port : -1;
    }

    private static String redactUserinfo(String authority) {
        return "***@" + authority.substring(authority.lastIndexOf('@') + 1);
    }

    private static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static <T> Parsed<T> failed(String rule, String reason) {
        return new Parsed.Failed<>(Refusal.badRequest(rule, reason));
    }
}
