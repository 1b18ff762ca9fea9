package dev.claudebottle.egress.http;

import java.util.ArrayDeque;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import dev.claudebottle.dlp.Finding;
import dev.claudebottle.dlp.StreamScan;

/**
 * DLP for client-to-server WebSocket messages. The frames of one message (first frame plus
 * continuations) are scanned as one stream, after inflating them when the message is compressed
 * (permessage-deflate, RFC 7692: RSV1 on the first frame). Frames are held back until the scan
 * has cleared them, so a secret split across fragments never reaches the upstream complete.
 * Control frames pass at once; a close frame drops a half-received message.
 */
final class WebSocketScanner implements AutoCloseable {

    /** Policy violation (RFC 6455, section 7.4.1). */
    static final int CLOSE_POLICY_VIOLATION = 1008;
    /** Message too big. */
    static final int CLOSE_TOO_BIG = 1009;
    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final long MAX_MESSAGE_DECODED = 64L << 20;

    /** Receiver of cleared frames and refusals. */
    interface Relay {
        void toUpstream(WebSocketFrame frame);

        void refuse(Finding finding, int closeCode, String reason);
    }

    private record Held(WebSocketFrame frame, long scannedEnd) {
    }

    private final Inspector inspector;
    private final String host;
    private final Relay relay;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final byte[] piece = new byte[16 * 1024];
    private Inflater inflater;
    private StreamScan scan;
    private boolean compressed;
    private long decoded;
    private boolean refused;

    WebSocketScanner(Inspector inspector, String host, Relay relay) {
        this.inspector = inspector;
        this.host = host;
        this.relay = relay;
    }

    /** Takes ownership of {@code frame}: forwards, holds or releases it. */
    void clientToProxyFrame(WebSocketFrame frame) {
        if (refused) {
            frame.release();
            return;
        }
        if (frame instanceof CloseWebSocketFrame) {
            dropHeld();
            scan = null;
            relay.toUpstream(frame);
            return;
        }
        boolean data = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
        if (!data && !(frame instanceof ContinuationWebSocketFrame)) {
            relay.toUpstream(frame);
            return;
        }
        if (!inspector.settings().enabled()) {
            relay.toUpstream(frame);
            return;
        }
        if (data) {
            scan = inspector.newStream();
            compressed = (frame.rsv() & 0x4) != 0;
            decoded = 0;
        } else if (scan == null) {
            relay.toUpstream(frame);
            return;
        }

        List<Finding> findings;
        try {
            findings = scanPayload(frame);
        } catch (DataFormatException e) {
            frame.release();
            refuse(null, CLOSE_POLICY_VIOLATION, "a compressed WebSocket message could not be "
                    + "inflated for scanning");
            return;
        }
        if (refused) {
            frame.release();
            return;
        }
        held.add(new Held(frame, scan.position()));
        if (!findings.isEmpty()) {
            refuse(findings.get(0), CLOSE_POLICY_VIOLATION, "a WebSocket message contains a "
                    + "secret: " + Inspector.describe(findings.get(0)));
            return;
        }
        releaseCleared(scan.releasable());
        if (frame.isFinalFragment()) {
            List<Finding> tail = inspector.relevant(host, scan.finish());
            if (!tail.isEmpty()) {
                refuse(tail.get(0), CLOSE_POLICY_VIOLATION, "a WebSocket message contains a "
                        + "secret: " + Inspector.describe(tail.get(0)));
                return;
            }
            releaseCleared(Long.MAX_VALUE);
            scan = null;
        }
    }

    private List<Finding> scanPayload(WebSocketFrame frame) throws DataFormatException {
        byte[] payload = new byte[frame.content().readableBytes()];
        frame.content().getBytes(frame.content().readerIndex(), payload);
        if (!compressed) {
            return inspector.relevant(host, scan.feed(payload, 0, payload.length));
        }
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        List<Finding> found = new java.util.ArrayList<>(inflate(payload));
        if (frame.isFinalFragment()) {
            found.addAll(inflate(DEFLATE_TAIL));
        }
        return found;
    }

    private List<Finding> inflate(byte[] input) throws DataFormatException {
        List<Finding> found = new java.util.ArrayList<>();
        inflater.setInput(input);
        while (!inflater.needsInput()) {
            int n = inflater.inflate(piece);
            if (n == 0 && !inflater.needsInput()) {
                break;
            }
            decoded += n;
            if (decoded > MAX_MESSAGE_DECODED) {
                refuse(null, CLOSE_TOO_BIG, "an inflated WebSocket message is larger than "
                        + MAX_MESSAGE_DECODED + " bytes");
                return List.of();
            }
            found.addAll(inspector.relevant(host, scan.feed(piece, 0, n)));
        }
        return found;
    }

    private void releaseCleared(long releasable) {
        while (!held.isEmpty() && held.peekFirst().scannedEnd() <= releasable) {
            relay.toUpstream(held.pollFirst().frame());
        }
    }

    private void refuse(Finding finding, int code, String reason) {
        refused = true;
        dropHeld();
        relay.refuse(finding, code, reason);
    }

    private void dropHeld() {
        Held h;
        while ((h = held.pollFirst()) != null) {
            h.frame().release();
        }
    }

    @Override
    public void close() {
        dropHeld();
        if (inflater != null) {
            inflater.end();
        }
    }
}
