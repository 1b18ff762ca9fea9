package dev.claudebottle.credproxy.internal.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON line per request: route, method, path without query values, status, body
 * bytes each way and duration. The line is built only from these fields, so no header, body
 * or token can reach it.
 */
public final class RequestLog {

    /** The SLF4J logger that receives the lines when no other receiver is configured. */
    public static final String LOGGER_NAME = "dev.claudebottle.credproxy.requests";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);
    private static final JsonFactory JSON = new JsonFactory();

    private final Consumer<String> sink;

    public RequestLog(Consumer<String> sink) {
        this.sink = sink != null ? sink : LOG::info;
    }

    /** Formats {@code entry} as one JSON object and hands it to the receiver. */
    public void write(RequestLogEntry entry) {
        sink.accept(format(entry));
    }

    static String format(RequestLogEntry entry) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("event", "request");
            json.writeStringField("route", entry.route());
            json.writeStringField("method", entry.method());
            json.writeStringField("path", entry.path());
            if (!entry.queryKeys().isEmpty()) {
                json.writeArrayFieldStart("query_keys");
                for (String key : entry.queryKeys()) {
                    json.writeString(key);
                }
                json.writeEndArray();
            }
            json.writeNumberField("status", entry.status());
            json.writeNumberField("bytes_in", entry.bytesIn());
            json.writeNumberField("bytes_out", entry.bytesOut());
            json.writeNumberField("duration_ms", Math.round(entry.durationNanos() / 1_000.0) / 1_000.0);
            json.writeStringField("outcome", entry.outcome());
            if (entry.upstream() != null) {
                json.writeStringField("upstream", entry.upstream());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a JSON log line to memory failed", e);
        }
        return out.toString();
    }
}
