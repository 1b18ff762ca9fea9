package dev.claudebottle.egress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.Zstd;
import org.junit.jupiter.api.Test;

class ContentDecoderTest {

    private static final byte[] TEXT = "the quick brown fox jumps over the lazy dog\n".repeat(500)
            .getBytes(StandardCharsets.UTF_8);

    /** Decodes {@code encoded} fed in pieces of {@code piece} bytes. */
    static byte[] decode(String encoding, byte[] encoded, int piece, long cap) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ContentDecoder decoder = ContentDecoder.forEncoding(encoding, cap)) {
            for (int i = 0; i < encoded.length; i += piece) {
                decoder.decode(ByteBuffer.wrap(encoded, i, Math.min(piece, encoded.length - i)),
                        (b, off, len) -> out.write(b, off, len));
            }
            decoder.finish();
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void gzipDecodesInOneBytePieces() throws Exception {
        assertThat(decode("gzip", gzip(TEXT), 1, 1 << 20)).isEqualTo(TEXT);
    }

    @Test
    void gzipSecondMemberIsDecodedToo() throws Exception {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(gzip("first ".getBytes()));
        both.write(gzip("second".getBytes()));

        assertThat(new String(decode("gzip", both.toByteArray(), 7, 1 << 20))).isEqualTo("first second");
    }

    @Test
    void deflateZlibAndRawBothDecode() throws Exception {
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(zlib)) {
            d.write(TEXT);
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(raw, new Deflater(6, true))) {
            d.write(TEXT);
        }

        assertThat(decode("deflate", zlib.toByteArray(), 100, 1 << 20)).isEqualTo(TEXT);
        assertThat(decode("deflate", raw.toByteArray(), 100, 1 << 20)).isEqualTo(TEXT);
    }

    @Test
    void brotliDecodes() throws Exception {
        Brotli4jLoader.ensureAvailability();

        assertThat(decode("br", Encoder.compress(TEXT), 64, 1 << 20)).isEqualTo(TEXT);
    }

    @Test
    void zstdDecodes() throws Exception {
        assertThat(decode("zstd", Zstd.compress(TEXT), 50, 1 << 20)).isEqualTo(TEXT);
    }

    @Test
    void bombsStopAtTheCapForEveryEncoding() throws Exception {
        byte[] zeros = new byte[32 << 20];
        Brotli4jLoader.ensureAvailability();

        for (var entry : java.util.Map.of("gzip", gzip(zeros), "br", Encoder.compress(zeros),
                "zstd", Zstd.compress(zeros)).entrySet()) {
            assertThatThrownBy(() -> decode(entry.getKey(), entry.getValue(), 4096, 1 << 20))
                    .as(entry.getKey()).isInstanceOf(ContentDecoder.DecodedTooLargeException.class);
        }
    }

    @Test
    void truncatedBodyIsInvalid() throws Exception {
        byte[] full = gzip(TEXT);
        byte[] cut = java.util.Arrays.copyOf(full, full.length / 2);

        assertThatThrownBy(() -> decode("gzip", cut, 100, 1 << 20))
                .isInstanceOf(ContentDecoder.InvalidEncodingException.class);
    }

    @Test
    void unknownEncodingIsNamed() {
        assertThatThrownBy(() -> ContentDecoder.forEncoding("compress", 1))
                .hasMessageContaining("'compress' is not supported");
        assertThatThrownBy(() -> ContentDecoder.forEncoding("gzip, br", 1))
                .hasMessageContaining("not supported");
        assertThat(ContentDecoder.forEncoding("identity", 1)).isNull();
    }
}
