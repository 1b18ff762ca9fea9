package dev.claudebottle.egress;

import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * A Logback appender that collects Netty's "LEAK:" reports (the surefire argLine sets paranoid
 * leak detection), so tests can fail when a ByteBuf was not released.
 */
public final class LeakWatch extends AppenderBase<ILoggingEvent> {

    private static final List<String> LEAKS = new ArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message != null && message.contains("LEAK:")) {
            synchronized (LEAKS) {
                LEAKS.add(message);
            }
        }
    }

    /** Fails when any leak was reported since the last call. */
    static void assertNoLeaks() {
        // Leaks are detected when buffers are garbage collected; give the collector a chance.
        System.gc();
        synchronized (LEAKS) {
            if (!LEAKS.isEmpty()) {
                String first = LEAKS.get(0);
                LEAKS.clear();
                throw new AssertionError("Netty reported a ByteBuf leak: " + first);
            }
        }
    }
}
