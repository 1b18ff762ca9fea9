package dev.claudebottle.egress.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.claudebottle.dlp.Finding;
import dev.claudebottle.egress.config.DlpSettings;

class WebSocketScannerTest {

    private static final String TOKEN = "ghp_" + "Xk7Qp2Lm9Rt4Vw8Yz3Bn6Cd1Fg5Hj0Ks2Ty7";

    private final List<WebSocketFrame> forwarded = new ArrayList<>();
    private final List<Finding> refused = new ArrayList<>();
    private final WebSocketScanner scanner = new WebSocketScanner(
            Inspector.create(DlpSettings.DEFAULTS, List.of()), "origin.test", new WebSocketScanner.Relay() {
                @Override
                public void toUpstream(WebSocketFrame frame) {
                    forwarded.add(frame);
                }

                @Override
                public void refuse(Finding finding, int closeCode, String reason) {
                    refused.add(finding);
                }
            });

    @AfterEach
    void release() {
        forwarded.forEach(WebSocketFrame::release);
        scanner.close();
    }

    @Test
    void cleanFragmentedMessagePasses() {
        scanner.clientToProxyFrame(new TextWebSocketFrame(false, 0, "hello "));
        scanner.clientToProxyFrame(new ContinuationWebSocketFrame(true, 0, "world"));

        assertThat(forwarded).hasSize(2);
        assertThat(refused).isEmpty();
    }

    @Test
    void secretSplitAcrossFragmentsIsHeldAndRefused() {
        scanner.clientToProxyFrame(new TextWebSocketFrame(false, 0, "key " + TOKEN.substring(0, 12)));
        scanner.clientToProxyFrame(new PingWebSocketFrame(Unpooled.copiedBuffer("p", StandardCharsets.US_ASCII)));
        scanner.clientToProxyFrame(new ContinuationWebSocketFrame(true, 0, TOKEN.substring(12)));

        assertThat(refused).hasSize(1);
        assertThat(forwarded).as("only the ping went on").hasSize(1).allMatch(f -> f instanceof PingWebSocketFrame);
    }

    @Test
    void compressedMessageIsInflatedForScanning() {
        byte[] deflated = deflateForWebSocket(("payload " + TOKEN).getBytes(StandardCharsets.UTF_8));

        scanner.clientToProxyFrame(new TextWebSocketFrame(true, 4, Unpooled.wrappedBuffer(deflated)));

        assertThat(refused).hasSize(1);
        assertThat(forwarded).isEmpty();
    }

    /** Compresses per RFC 7692: raw deflate, sync flush, without the trailing 00 00 ff ff. */
    private static byte[] deflateForWebSocket(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(buffer, 0, n);
        }
        deflater.end();
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, all.length - 4);
    }
}
