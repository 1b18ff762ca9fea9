package dev.claudebottle.supervise;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting on a shared event loop group, closing, and failing to bind. */
class SuperviseLifecycleTest {

    @TempDir
    Path state;

    private final EventLoopGroup shared = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void shutDown() {
        shared.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private SuperviseConfig config(int port) {
        return SuperviseConfig.builder("implementer", state.resolve("queue"), state.resolve("audit.jsonl"))
                .bindAddress(new InetSocketAddress("127.0.0.1", port))
                .build();
    }

    @Test
    void closeEndsOpenConnectionsButNotSharedGroup() throws Exception {
        Supervise supervise = Supervise.start(config(0), shared);
        int port = supervise.address().getPort();

        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int read = in.read(buffer);
            assertThat(new String(buffer, 0, read, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 405");

            supervise.close();

            assertThat(in.read(buffer)).isEqualTo(-1);
        }
        assertThat(supervise.closeFuture().toCompletableFuture().get(5, TimeUnit.SECONDS)).isNull();
        assertThat(shared.isShuttingDown()).isFalse();
    }

    @Test
    void portInUseFailsWithClearMessage() {
        try (Supervise first = Supervise.start(config(0), shared)) {
            int port = first.address().getPort();

            assertThatThrownBy(() -> Supervise.start(config(port), shared))
                    .isInstanceOf(SuperviseException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("another process");
        }
    }

    @Test
    void invalidBottleNameIsRejected() {
        assertThatThrownBy(() -> SuperviseConfig.builder("../evil", state, state.resolve("a.jsonl")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bottle name");
    }
}
