package dev.claudebottle.bundle.dns;

import io.netty.handler.codec.dns.DnsRecordType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs queries for names the bottle does not know, one line each, with a cap per minute.
 *
 * <p>The queried name is chosen by the agent and may carry an encoded secret in any label, so a
 * line never shows the name itself: see {@link #describe(String)}.
 */
final class RefusedQueryLog {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedQueryLog.class);
    static final int MAX_LINES_PER_MINUTE = 60;

    private final AtomicLong windowStart = new AtomicLong();
    private final AtomicLong linesInWindow = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    void record(InetSocketAddress client, String name, DnsRecordType type) {
        long now = System.nanoTime();
        long start = windowStart.get();
        if (now - start > 60_000_000_000L && windowStart.compareAndSet(start, now)) {
            long dropped = suppressed.getAndSet(0);
            linesInWindow.set(0);
            if (dropped > 0) {
                LOG.info("dns: {} more unknown-name queries were answered NXDOMAIN without a log line", dropped);
            }
        }
        if (linesInWindow.incrementAndGet() > MAX_LINES_PER_MINUTE) {
            suppressed.incrementAndGet();
            return;
        }
        LOG.info("dns: answered NXDOMAIN to {} for {} {} (unknown name; nothing is forwarded)",
                client.getAddress().getHostAddress(), type.name(), describe(name));
    }

    /**
     * Returns a log-safe description of a queried name: its top-level label, label count, length
     * and a short SHA-256 prefix that lets an operator tell repeated names apart.
     */
    static String describe(String name) {
        String trimmed = DnsNames.normalize(name);
        String[] labels = trimmed.split("\\.", -1);
        String top = labels[labels.length - 1];
        if (top.length() > 24) {
            top = top.substring(0, 24) + "...";
        }
        return "a name under ." + top + " (" + labels.length + " labels, " + trimmed.length()
                + " chars, sha256 " + shortHash(trimmed) + ")";
    }

    private static String shortHash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
