package dev.claudebottle.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentDecodersTest {
    private static final byte[] BODY = bodyWithSecret();
    private static final long LIMIT = 1 << 20;

    private static byte[] bodyWithSecret() {
        StringBuilder text = new StringBuilder();
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            text.append("line ").append(random.nextInt()).append(" of an ordinary response body\n");
        }
        text.append("{\"token\": \"ghp_Zq3X9vT2mLw8RkP4nYb6HcJ1sDf7GtE5aUo0\"}\n");
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    static byte[] deflate(byte[] data, boolean raw) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    static byte[] encode(String coding, byte[] data) throws Exception {
        return switch (coding) {
            case "gzip" -> gzip(data);
            case "deflate" -> deflate(data, false);
            case "raw-deflate" -> deflate(data, true);
            case "br" -> Encoder.compress(data);
            default -> throw new IllegalArgumentException(coding);
        };
    }

    /** Decodes {@code encoded} fed in chunks of {@code chunk} bytes. */
    static byte[] decodeInChunks(ContentDecoder decoder, byte[] encoded, int chunk) {
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        ContentDecoder.Sink sink = decoded::write;
        for (int i = 0; i < encoded.length; i += chunk) {
            decoder.decode(encoded, i, Math.min(chunk, encoded.length - i), sink);
        }
        decoder.finish(sink);
        return decoded.toByteArray();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "deflate", "raw-deflate", "br"})
    void decodesInAnyChunkSize(String coding) throws Exception {
        byte[] encoded = encode(coding, BODY);
        String header = coding.equals("raw-deflate") ? "deflate" : coding;

        for (int chunk : List.of(1, 7, 100, 4096, encoded.length)) {
            try (ContentDecoder decoder = ContentDecoders.defaults().forHeader(header, LIMIT)) {
                assertThat(decodeInChunks(decoder, encoded, chunk)).as("chunk size %d", chunk).isEqualTo(BODY);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "deflate", "br"})
    void decodedBodyFeedsStreamScan(String coding) throws Exception {
        StreamScan scan = SecretScanner.withBuiltInRules().newStream();
        List<Finding> findings = new java.util.ArrayList<>();

        try (ContentDecoder decoder = ContentDecoders.defaults().forHeader(coding, LIMIT)) {
            byte[] encoded = encode(coding, BODY);
            ContentDecoder.Sink sink = (b, o, n) -> findings.addAll(scan.feed(b, o, n));
            decoder.decode(encoded, 0, encoded.length, sink);
            decoder.finish(sink);
        }
        findings.addAll(scan.finish());

        assertThat(findings).extracting(Finding::ruleId).containsExactly("github-pat");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "deflate", "br"})
    void bombHitsDecodedLimit(String coding) throws Exception {
        byte[] zeros = new byte[8 << 20];
        byte[] encoded = encode(coding, zeros);

        try (ContentDecoder decoder = ContentDecoders.defaults().forHeader(coding, LIMIT)) {
            assertThatThrownBy(() -> decoder.decode(encoded, 0, encoded.length, (b, o, n) -> { }))
                    .isInstanceOf(DecodedSizeLimitException.class)
                    .hasMessageContaining(coding)
                    .satisfies(e -> assertThat(((DecodedSizeLimitException) e).limit()).isEqualTo(LIMIT));
            assertThat(decoder.decodedBytes()).isLessThanOrEqualTo(LIMIT + 64 * 1024);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gzip", "deflate", "br"})
    void truncatedBodyFails(String coding) throws Exception {
        byte[] encoded = encode(coding, BODY);
        byte[] truncated = Arrays.copyOf(encoded, encoded.length / 2);

        try (ContentDecoder decoder = ContentDecoders.defaults().forHeader(coding, LIMIT)) {
            assertThatThrownBy(() -> decodeInChunks(decoder, truncated, 512))
                    .isInstanceOf(DlpException.class).hasMessageContaining("truncated");
        }
    }

    @Test
    void decodesGzipWithOptionalHeaderFields() throws Exception {
        byte[] plain = gzip(BODY);
        ByteArrayOutputStream withFields = new ByteArrayOutputStream();
        withFields.write(plain, 0, 3);
        withFields.write(0x04 | 0x08 | 0x10);
        withFields.write(plain, 4, 6);
        withFields.write(new byte[] {3, 0, 'a', 'b', 'c'});
        withFields.write("body.txt\0".getBytes(StandardCharsets.ISO_8859_1));
        withFields.write("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        withFields.write(plain, 10, plain.length - 10);
        byte[] encoded = withFields.toByteArray();

        for (int chunk : List.of(1, 5, 64)) {
            try (ContentDecoder decoder = ContentDecoders.defaults().forHeader("gzip", LIMIT)) {
                assertThat(decodeInChunks(decoder, encoded, chunk)).as("chunk size %d", chunk).isEqualTo(BODY);
            }
        }
    }

    @Test
    void corruptGzipFails() throws Exception {
        byte[] encoded = gzip(BODY);
        encoded[encoded.length - 6] ^= 0x55;

        try (ContentDecoder decoder = ContentDecoders.defaults().forHeader("gzip", LIMIT)) {
            assertThatThrownBy(() -> decodeInChunks(decoder, encoded, 1000)).isInstanceOf(DlpException.class)
                    .hasMessageContaining("gzip body is corrupt");
        }
    }

    @Test
    void notGzipFails() {
        byte[] plain = "plain text".getBytes(StandardCharsets.UTF_8);

        try (ContentDecoder decoder = ContentDecoders.defaults().forHeader("gzip", LIMIT)) {
            assertThatThrownBy(() -> decodeInChunks(decoder, plain, 100)).isInstanceOf(DlpException.class)
                    .hasMessageContaining("not gzip");
        }
    }

    @Test
    void decodesConcatenatedGzipMembersAndChains() throws Exception {
        byte[] half = Arrays.copyOf(BODY, BODY.length / 2);
        byte[] rest = Arrays.copyOfRange(BODY, BODY.length / 2, BODY.length);
        ByteArrayOutputStream members = new ByteArrayOutputStream();
        members.write(gzip(half));
        members.write(gzip(rest));
        byte[] chained = gzip(deflate(BODY, false));

        try (ContentDecoder decoder = ContentDecoders.defaults().forHeader("gzip", LIMIT)) {
            assertThat(decodeInChunks(decoder, members.toByteArray(), 333)).isEqualTo(BODY);
        }
        try (ContentDecoder decoder = ContentDecoders.defaults().forHeader("deflate, gzip", LIMIT)) {
            assertThat(decodeInChunks(decoder, chained, 333)).isEqualTo(BODY);
        }
    }

    @Test
    void unknownCodingFailsAndPluginsAdd() {
        assertThatThrownBy(() -> ContentDecoders.defaults().forHeader("zstd", LIMIT))
                .isInstanceOf(DlpException.class).hasMessageContaining("unsupported Content-Encoding 'zstd'");

        ContentDecoders withZstd = ContentDecoders.defaults().with("zstd", max -> ContentDecoders.defaults().forHeader("identity", max));

        assertThat(withZstd.supports("ZSTD")).isTrue();
        assertThat(ContentDecoders.defaults().supports("br")).isTrue();
    }
}
