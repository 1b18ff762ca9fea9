package dev.claudebottle.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Binary and adversarial input (dense keywords, escapes and base64 everywhere) must neither throw
 * nor hang. The timeout only guards against a hang; it is no speed target.
 */
class HostileInputTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(120);
    private static final int SIZE = 4 << 20;

    private static byte[] repeat(String unit) {
        byte[] one = unit.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            out[i] = one[i % one.length];
        }
        return out;
    }

    private static byte[] input(String kind) {
        return switch (kind) {
            case "random binary" -> {
                byte[] bytes = new byte[SIZE];
                new Random(1).nextBytes(bytes);
                yield bytes;
            }
            case "keywords" -> repeat("ghp_password=token:sk-AKIA-----BEGIN eyJ://a:b@");
            case "percent escapes" -> repeat("%41%6b%49%41%2F");
            case "json escapes" -> repeat("\\u0067\\u0068\\/");
            case "base64 run" -> repeat("Z2hwX2FiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6");
            case "hex run" -> repeat("6768705f");
            case "long quoted values" -> repeat("password = \"" + "a1".repeat(200) + "\"\n");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"random binary", "keywords", "percent escapes", "json escapes", "base64 run", "hex run", "long quoted values"})
    void scansWithoutThrowingOrHanging(String kind) {
        byte[] data = input(kind);
        SecretScanner scanner = SecretScanner.withBuiltInRules();

        List<Finding> whole = assertTimeoutPreemptively(HANG_GUARD, () -> scanner.scan(data));
        List<Finding> streamed = assertTimeoutPreemptively(HANG_GUARD, () -> {
            StreamScan scan = scanner.newStream();
            List<Finding> all = new java.util.ArrayList<>();
            for (int i = 0; i < data.length; i += 1000) {
                all.addAll(scan.feed(data, i, Math.min(1000, data.length - i)));
            }
            all.addAll(scan.finish());
            return all;
        });

        assertThat(streamed).hasSameSizeAs(whole);
    }

    @Test
    void streamMemoryStaysBounded() {
        SecretScanner scanner = SecretScanner.withBuiltInRules();
        StreamScan scan = scanner.newStream();
        byte[] chunk = input("random binary");

        for (int i = 0; i < 16; i++) {
            scan.feed(chunk, 0, chunk.length);
        }

        assertThat(scan.position()).isEqualTo(16L * SIZE);
        assertThat(scan.releasable()).isEqualTo(16L * SIZE - scanner.holdBackBytes());
    }
}
