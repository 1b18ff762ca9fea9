package dev.claudebottle.credproxy.internal.log;

import java.util.List;

/**
 * The facts logged about one request.
 *
 * @param route         the matched route path, or {@code "-"} when none matched
 * @param method        the request method
 * @param path          the request path as received, without the query
 * @param queryKeys     the names of the query parameters, without their values
 * @param status        the status sent to the agent, or 0 when the connection broke first
 * @param bytesIn       request body bytes received from the agent
 * @param bytesOut      response body bytes sent to the agent
 * @param durationNanos time from the request head to the end of the response
 * @param outcome       {@code forwarded}, {@code rejected}, {@code upstream_failed} or {@code client_closed}
 * @param upstream      {@code host:port} of the upstream, or null when none was chosen
 */
public record RequestLogEntry(String route, String method, String path, List<String> queryKeys, int status,
        long bytesIn, long bytesOut, long durationNanos, String outcome, String upstream) {
}
