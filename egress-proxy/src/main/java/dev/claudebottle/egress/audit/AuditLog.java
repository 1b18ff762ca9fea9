package dev.claudebottle.egress.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.claudebottle.egress.EgressProxyException;

/**
 * Writes audit records as JSON lines, appended to a file by a single writer thread so that event
 * loops do not wait for the disk. Each record also goes to an optional in-process listener and
 * to the log at INFO.
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final OutputStream out;
    private final Consumer<AuditRecord> listener;
    private final ExecutorService writer;

    private AuditLog(OutputStream out, Consumer<AuditRecord> listener) {
        this.out = out;
        this.listener = listener;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "egress-audit");
            t.setDaemon(true);
            return t;
        });
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

    /** Records {@code record}; the file write happens on the writer thread. */
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
            String line = toJson(record);
            try {
                writer.execute(() -> write(line));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Connections closed while the proxy stops can report after the log closed.
                log.debug("audit log already closed; record for {} kept in the log output only",
                        record.host());
            }
        }
    }

    private void write(String line) {
        try {
            out.write(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            log.warn("cannot write the audit log; the decision was: {}", line, e);
        }
    }

    /** Formats one record as a JSON object followed by a newline. */
    public static String toJson(AuditRecord r) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("time", r.time().toString());
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
        } catch (IOException e) {
            throw new AssertionError("writing JSON to a StringWriter cannot fail", e);
        }
        return text.append('\n').toString();
    }

    /** Writes the records still queued, then closes the file. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("audit log writer did not finish within 5 s; some lines may be missing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                log.warn("cannot close the audit log", e);
            }
        }
    }
}
