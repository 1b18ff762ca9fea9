package dev.claudebottle.bundle.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes each log event as one JSON object per line: time, level, service, logger, message and,
 * when present, the error.
 *
 * <p>The services share event-loop threads, so the service is derived from the logger's package
 * (see {@link ServiceNames}) rather than from a thread-bound MDC value. Logback's own
 * {@code JsonEncoder} nests fields in a layout that log shippers and {@code jq} filters read less
 * easily, which is why this small encoder exists.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] NEWLINE = {'\n'};

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        line.put("level", event.getLevel().toString());
        line.put("service", ServiceNames.forLogger(event.getLoggerName()));
        line.put("logger", event.getLoggerName());
        line.put("message", event.getFormattedMessage());
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            line.put("error", ThrowableProxyUtil.asString(error));
        }
        try {
            byte[] json = JSON.writeValueAsBytes(line);
            byte[] withNewline = new byte[json.length + 1];
            System.arraycopy(json, 0, withNewline, 0, json.length);
            withNewline[json.length] = NEWLINE[0];
            return withNewline;
        } catch (JsonProcessingException e) {
            return ("{\"level\":\"ERROR\",\"service\":\"bundle\",\"message\":\"cannot encode a log line\"}\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}
