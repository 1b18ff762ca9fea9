package dev.claudebottle.credproxy.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {

    private static final String TOKEN = "ghp_TestOnlyRedaction000000000000000000";

    private static String run(SecretRedactor redactor, String... chunks) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < chunks.length; i++) {
            ByteBuf in = Unpooled.copiedBuffer(chunks[i], StandardCharsets.UTF_8);
            ByteBuf result = redactor.process(in, ByteBufAllocator.DEFAULT, i == chunks.length - 1);
            out.append(result.toString(StandardCharsets.UTF_8));
            boolean passedThrough = result == in;
            result.release();
            assertThat(in.refCnt()).as("input released or passed on").isZero();
            assertThat(passedThrough || result.refCnt() == 0).isTrue();
        }
        return out.toString();
    }

    @Test
    void redactsWholeToken() {
        String out = run(new SecretRedactor(List.of(TOKEN)), "token=" + TOKEN + ";");

        assertThat(out).isEqualTo("token=" + "*".repeat(TOKEN.length()) + ";");
    }

    @Test
    void redactsTokenSplitAcrossChunks() {
        String out = run(new SecretRedactor(List.of(TOKEN)), "a" + TOKEN.substring(0, 5), TOKEN.substring(5, 20),
                TOKEN.substring(20) + "b");

        assertThat(out).isEqualTo("a" + "*".repeat(TOKEN.length()) + "b");
    }

    @Test
    void keepsLengthUnchanged() {
        String body = "x".repeat(100) + TOKEN + "y".repeat(100);

        assertThat(run(new SecretRedactor(List.of(TOKEN)), body)).hasSameSizeAs(body);
    }

    @Test
    void doesNotDelayChunkEndingInNewline() {
        SecretRedactor redactor = new SecretRedactor(List.of(TOKEN));
        ByteBuf result = redactor.process(Unpooled.copiedBuffer("data: {}\n\n", StandardCharsets.UTF_8),
                ByteBufAllocator.DEFAULT, false);

        assertThat(result.toString(StandardCharsets.UTF_8)).isEqualTo("data: {}\n\n");
        result.release();
    }

    @Test
    void holdsBackOnlyPossibleTokenStart() {
        SecretRedactor redactor = new SecretRedactor(List.of(TOKEN));
        ByteBuf first = redactor.process(Unpooled.copiedBuffer("abc ghp_", StandardCharsets.UTF_8),
                ByteBufAllocator.DEFAULT, false);
        ByteBuf rest = redactor.process(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8),
                ByteBufAllocator.DEFAULT, true);

        assertThat(first.toString(StandardCharsets.UTF_8)).isEqualTo("abc ");
        assertThat(rest.toString(StandardCharsets.UTF_8)).isEqualTo("ghp_x");
        first.release();
        rest.release();
    }

    @Test
    void cleanChunkPassesWithoutCopy() {
        SecretRedactor redactor = new SecretRedactor(List.of(TOKEN));
        ByteBuf in = Unpooled.copiedBuffer("plain text\n", StandardCharsets.UTF_8);

        ByteBuf out = redactor.process(in, ByteBufAllocator.DEFAULT, false);

        assertThat(out).isSameAs(in);
        out.release();
    }

    @Test
    void tokenAfterCleanChunksStillRedacted() {
        String out = run(new SecretRedactor(List.of(TOKEN)), "clean\n", "x" + TOKEN.substring(0, 10),
                TOKEN.substring(10) + "\n", "tail");

        assertThat(out).isEqualTo("clean\nx" + "*".repeat(TOKEN.length()) + "\ntail");
    }

    @Test
    void ignoresShortValues() {
        assertThat(run(new SecretRedactor(List.of("abc")), "abcabc")).isEqualTo("abcabc");
    }

    @Test
    void findsSecretInHeaderValue() {
        SecretRedactor redactor = new SecretRedactor(List.of(TOKEN));

        assertThat(redactor.containsSecret("Bearer " + TOKEN)).isTrue();
        assertThat(redactor.containsSecret("Bearer other")).isFalse();
    }
}
