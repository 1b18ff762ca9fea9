package dev.claudebottle.egress;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class LeakWatchTest {

    @Test
    void reportsAnUnreleasedBuffer() {
        leak();

        assertThatThrownBy(() -> {
            for (int i = 0; i < 50; i++) {
                System.gc();
                // Leak reports are produced when later buffers are allocated and tracked.
                PooledByteBufAllocator.DEFAULT.buffer(16).release();
                LeakWatch.assertNoLeaks();
            }
        }).isInstanceOf(AssertionError.class).hasMessageContaining("leak");
    }

    private static void leak() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.buffer(64);
        leaked.writeInt(1);
    }
}
