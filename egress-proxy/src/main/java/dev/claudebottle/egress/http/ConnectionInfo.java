package dev.claudebottle.egress.http;

/**
 * Identity of one client connection, for logs and audit lines.
 *
 * @param id sequence number of the connection in this proxy
 * @param client client address and port as text
 */
public record ConnectionInfo(long id, String client) {
}
