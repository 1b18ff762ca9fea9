package dev.claudebottle.egress.audit;

import java.time.Instant;

/**
 * One policy decision, written as one JSON line. Holds no secret: the path has its query values
 * removed, and reasons name rules, never matched values.
 *
 * @param time when the decision was made
 * @param connectionId id of the client connection, to relate lines of one tunnel
 * @param client client address and port
 * @param method request method (CONNECT for tunnels)
 * @param host target host as normalised, or as sent when it could not be parsed
 * @param port target port, 0 when unknown
 * @param path request path with query values removed, or null
 * @param decision what happened
 * @param rule the rule that decided (allowlist entry, refusal rule or DLP rule), or null
 * @param status HTTP status the client got, 0 when the connection was closed without one
 * @param bytesUp request body bytes forwarded upstream
 * @param bytesDown response bytes relayed to the client
 * @param durationMillis time from the request head to the end of the exchange
 * @param reason a sentence for the operator, or null
 */
public record AuditRecord(Instant time, long connectionId, String client, String method,
                          String host, int port, String path, Decision decision, String rule,
                          int status, long bytesUp, long bytesDown, long durationMillis,
                          String reason) {

    /** The outcome recorded in the {@code decision} field. */
    public enum Decision {
        /** Forwarded. */
        ALLOWED,
        /** Refused or aborted by policy. */
        REFUSED,
        /** Forwarded although DLP found something, because the action is warn. */
        WARNED,
        /** Failed for a reason outside policy: upstream unreachable, timeout, protocol error. */
        FAILED
    }

    /**
     * Returns {@code path} with every query value removed ({@code /a?x=1&y=2} becomes
     * {@code /a?x=&y=}), so tokens passed as query parameters never reach the log.
     */
    public static String withoutQueryValues(String path) {
        if (path == null) {
            return null;
        }
        int q = path.indexOf('?');
        if (q < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length()).append(path, 0, q + 1);
        String[] params = path.substring(q + 1).split("&", -1);
        for (int i = 0; i < params.length; i++) {
            if (i > 0) {
                out.append('&');
            }
            int eq = params[i].indexOf('=');
            out.append(eq < 0 ? params[i] : params[i].substring(0, eq)).append('=');
        }
        return out.toString();
    }
}
