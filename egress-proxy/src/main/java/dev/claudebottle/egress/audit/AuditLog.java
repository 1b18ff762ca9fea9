package dev.claudebottle.egress.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.claudebottle.egress.EgressProxyException;

/**
 * Writes audit records as JSON lines, appended to a file by a single writer thread so that event
 * loops neither format nor wait for the disk. Each record also goes to an optional in-process
 * listener and to the log at INFO.
 *
 * <p>Once a record wakes it, the writer waits {@link #BATCH_DELAY_MILLIS} and then writes
 * everything queued with one write call. Under load that turns a thread wake-up and a write per
 * request into one per batch. A line reaches the file that much later (plus the write itself).
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final JsonFactory JSON = new JsonFactory().setRootValueSeparator(null);
    private static final long BATCH_DELAY_MILLIS = 10;
    private static final int MAX_BATCH = 4096;
    private static final long CLOSE_TIMEOUT_SECONDS = 5;
    /** Queued by {@link #close()}; the writer stops when it takes it. */
    private static final AuditRecord END = new AuditRecord(Instant.EPOCH, 0, "", "", "", 0, null,
            AuditRecord.Decision.FAILED, null, 0, 0, 0, 0, null);

    private final OutputStream out;
    private final Consumer<AuditRecord> listener;
    private final BlockingQueue<AuditRecord> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    private AuditLog(OutputStream out, Consumer<AuditRecord> listener) {
        this.out = out;
        this.listener = listener;
        if (out == null) {
            this.writer = null;
            return;
        }
        this.writer = new Thread(this::writeQueued, "egress-audit");
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens {@code file} for appending (creating it), or logs only when {@code file} is null. */
    public static AuditLog open(Path file, Consumer<AuditRecord> listener) {
        if (file == null) {
            return new AuditLog(null, listener);
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            OutputStream stream = Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            return new AuditLog(stream, listener);
        } catch (IOException e) {
            throw new EgressProxyException("cannot open audit log " + file + ": " + e.getMessage()
                    + "; check audit_log in the config and the directory's permissions", e);
        }
    }

    /** Records {@code record}; formatting and the file write happen on the writer thread. */
    public void record(AuditRecord record) {
        if (log.isInfoEnabled()) {
            log.info("conn={} {} {} {}:{} -> {} {} rule={}", record.connectionId(), record.client(),
                    record.method(), record.host(), record.port(), record.decision(), record.status(),
                    record.rule());
        }
        if (listener != null) {
            try {
                listener.accept(record);
            } catch (RuntimeException e) {
                log.warn("audit listener failed on a record for {}", record.host(), e);
            }
        }
        if (out != null) {
            if (closed) {
                // Connections closed while the proxy stops can report after the log closed.
                log.debug("audit log already closed; record for {} kept in the log output only",
                        record.host());
                return;
            }
            queue.add(record);
        }
    }

    /** Runs the writer thread: waits for a record, lets a batch gather, writes it, repeats. */
    private void writeQueued() {
        List<AuditRecord> batch = new ArrayList<>();
        ByteArrayOutputStream text = new ByteArrayOutputStream(64 * 1024);
        TimeText times = new TimeText();
        boolean end = false;
        while (!end) {
            try {
                batch.add(queue.take());
                Thread.sleep(BATCH_DELAY_MILLIS);
            } catch (InterruptedException e) {
                // Not expected, because close() queues END. Stop after writing what is queued.
                end = true;
            }
            queue.drainTo(batch, MAX_BATCH);
            for (int i = 0; i < batch.size() && !end; i++) {
                if (batch.get(i) == END) {
                    batch.subList(i, batch.size()).clear();
                    end = true;
                }
            }
            writeBatch(batch, text, times);
            batch.clear();
            text.reset();
        }
    }

    private void writeBatch(List<AuditRecord> batch, ByteArrayOutputStream text, TimeText times) {
        if (batch.isEmpty()) {
            return;
        }
        try (JsonGenerator g = JSON.createGenerator(text, JsonEncoding.UTF8)) {
            for (AuditRecord record : batch) {
                writeRecord(g, record, times.format(record.time()));
                g.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new AssertionError("writing JSON to a byte array cannot fail", e);
        }
        try {
            text.writeTo(out);
            out.flush();
        } catch (IOException e) {
            log.warn("cannot write the audit log; {} decisions are missing from it, the first: {}",
                    batch.size(), toJson(batch.get(0)).strip(), e);
        }
    }

    /** Formats one record as a JSON object followed by a newline. */
    public static String toJson(AuditRecord r) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            writeRecord(g, r, r.time().toString());
        } catch (IOException e) {
            throw new AssertionError("writing JSON to a StringWriter cannot fail", e);
        }
        return text.append('\n').toString();
    }

    private static void writeRecord(JsonGenerator g, AuditRecord r, String time) throws IOException {
        g.writeStartObject();
        g.writeStringField("time", time);
        g.writeNumberField("conn", r.connectionId());
        g.writeStringField("client", r.client());
        g.writeStringField("method", r.method());
        g.writeStringField("host", r.host());
        g.writeNumberField("port", r.port());
        if (r.path() != null) {
            g.writeStringField("path", r.path());
        }
        g.writeStringField("decision", r.decision().name().toLowerCase(Locale.ROOT));
        if (r.rule() != null) {
            g.writeStringField("rule", r.rule());
        }
        g.writeNumberField("status", r.status());
        g.writeNumberField("bytes_up", r.bytesUp());
        g.writeNumberField("bytes_down", r.bytesDown());
        g.writeNumberField("duration_ms", r.durationMillis());
        if (r.reason() != null) {
            g.writeStringField("reason", r.reason());
        }
        g.writeEndObject();
    }

    /** Writes the records still queued, then closes the file. */
    @Override
    public void close() {
        if (writer != null && !closed) {
            closed = true;
            queue.add(END);
            try {
                writer.join(TimeUnit.SECONDS.toMillis(CLOSE_TIMEOUT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (writer.isAlive()) {
                log.warn("audit log writer did not finish within {} s; some lines may be missing",
                        CLOSE_TIMEOUT_SECONDS);
            }
        }
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                log.warn("cannot close the audit log", e);
            }
        }
    }

    /**
     * Formatter that writes instants exactly as {@link Instant#toString()} does (ISO-8601, with the
     * fraction in groups of three digits). It reuses the text up to the seconds, because the
     * records of one batch mostly share their second.
     */
    static final class TimeText {

        private long second = Long.MIN_VALUE;
        private String upToSeconds;

        String format(Instant time) {
            if (time.getEpochSecond() != second) {
                String whole = Instant.ofEpochSecond(time.getEpochSecond()).toString();
                upToSeconds = whole.substring(0, whole.length() - 1);
                second = time.getEpochSecond();
            }
            StringBuilder text = new StringBuilder(upToSeconds.length() + 11).append(upToSeconds);
            int nano = time.getNano();
            if (nano > 0) {
                int digits = 9;
                int value = nano;
                if (nano % 1_000_000 == 0) {
                    digits = 3;
                    value = nano / 1_000_000;
                } else if (nano % 1000 == 0) {
                    digits = 6;
                    value = nano / 1000;
                }
                String fraction = Integer.toString(value);
                text.append('.');
                for (int i = fraction.length(); i < digits; i++) {
                    text.append('0');
                }
                text.append(fraction);
            }
            return text.append('Z').toString();
        }
    }
}
