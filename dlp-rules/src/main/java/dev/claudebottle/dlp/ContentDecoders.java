package dev.claudebottle.dlp;

import dev.claudebottle.dlp.internal.BrotliContentDecoder;
import dev.claudebottle.dlp.internal.InflatingContentDecoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@link ContentDecoder}s known for HTTP {@code Content-Encoding} names (RFC 9110 section
 * 8.4): {@code gzip} and {@code x-gzip}, {@code deflate} (zlib, or raw deflate as some servers send
 * it) and {@code identity} with the JDK's {@link java.util.zip.Inflater}, and {@code br} through
 * brotli4j when its native library loads on this platform. Others, such as {@code zstd}, can be
 * added with {@link #with}. Immutable.
 */
public final class ContentDecoders {
    private static final ContentDecoders DEFAULTS = createDefaults();

    private final Map<String, ContentDecoder.Factory> factories;

    private ContentDecoders(Map<String, ContentDecoder.Factory> factories) {
        this.factories = Collections.unmodifiableMap(factories);
    }

    private static ContentDecoders createDefaults() {
        Map<String, ContentDecoder.Factory> factories = new LinkedHashMap<>();
        factories.put("identity", IdentityDecoder::new);
        factories.put("gzip", max -> new InflatingContentDecoder(InflatingContentDecoder.Format.GZIP, max));
        factories.put("x-gzip", max -> new InflatingContentDecoder(InflatingContentDecoder.Format.GZIP, max));
        factories.put("deflate", max -> new InflatingContentDecoder(InflatingContentDecoder.Format.DEFLATE, max));
        if (BrotliContentDecoder.isAvailable()) {
            factories.put("br", BrotliContentDecoder::new);
        }
        return new ContentDecoders(factories);
    }

    /** Returns the decoders dlp-rules ships. */
    public static ContentDecoders defaults() {
        return DEFAULTS;
    }

    /** Returns a copy that also decodes {@code encoding} (case-insensitive) with {@code factory}. */
    public ContentDecoders with(String encoding, ContentDecoder.Factory factory) {
        Map<String, ContentDecoder.Factory> copy = new LinkedHashMap<>(factories);
        copy.put(encoding.trim().toLowerCase(Locale.ROOT), factory);
        return new ContentDecoders(copy);
    }

    /** Returns whether {@code encoding} (one coding name, case-insensitive) can be decoded. */
    public boolean supports(String encoding) {
        return factories.containsKey(encoding.trim().toLowerCase(Locale.ROOT));
    }

    /** Returns the supported coding names. */
    public List<String> encodings() {
        return List.copyOf(factories.keySet());
    }

    /**
     * Creates a decoder for a whole {@code Content-Encoding} header value, such as {@code gzip} or
     * {@code deflate, br} (codings listed in the order they were applied, so they are undone from
     * the last). The limit applies to every stage.
     *
     * @throws DlpException naming the coding when one is not supported
     */
    public ContentDecoder forHeader(String contentEncoding, long maxDecodedBytes) {
        List<String> codings = new ArrayList<>();
        for (String coding : contentEncoding.split(",")) {
            String name = coding.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty()) {
                codings.add(name);
            }
        }
        if (codings.isEmpty()) {
            return new IdentityDecoder(maxDecodedBytes);
        }
        List<ContentDecoder> stages = new ArrayList<>();
        for (int i = codings.size() - 1; i >= 0; i--) {
            ContentDecoder.Factory factory = factories.get(codings.get(i));
            if (factory == null) {
                stages.forEach(ContentDecoder::close);
                throw new DlpException("unsupported Content-Encoding '" + codings.get(i) + "'; supported: "
                        + String.join(", ", factories.keySet()));
            }
            stages.add(factory.create(maxDecodedBytes));
        }
        return stages.size() == 1 ? stages.get(0) : new ChainedDecoder(stages);
    }

    /** Passes bytes through, with the same cap as the real decoders. */
    private static final class IdentityDecoder implements ContentDecoder {
        private final long max;
        private long decoded;

        IdentityDecoder(long max) {
            this.max = max;
        }

        @Override
        public void decode(byte[] bytes, int offset, int length, Sink sink) {
            decoded += length;
            if (decoded > max) {
                throw new DecodedSizeLimitException("identity", max);
            }
            sink.accept(bytes, offset, length);
        }

        @Override
        public void finish(Sink sink) {
        }

        @Override
        public long decodedBytes() {
            return decoded;
        }

        @Override
        public void close() {
        }
    }

    /** Several codings applied in turn: each stage's output is the next stage's input. */
    private static final class ChainedDecoder implements ContentDecoder {
        private final List<ContentDecoder> stages;

        ChainedDecoder(List<ContentDecoder> stages) {
            this.stages = stages;
        }

        @Override
        public void decode(byte[] bytes, int offset, int length, Sink sink) {
            decodeFrom(0, bytes, offset, length, sink);
        }

        private void decodeFrom(int stage, byte[] bytes, int offset, int length, Sink sink) {
            if (stage == stages.size()) {
                sink.accept(bytes, offset, length);
                return;
            }
            stages.get(stage).decode(bytes, offset, length, (b, o, n) -> decodeFrom(stage + 1, b, o, n, sink));
        }

        @Override
        public void finish(Sink sink) {
            for (int stage = 0; stage < stages.size(); stage++) {
                int next = stage + 1;
                stages.get(stage).finish((b, o, n) -> decodeFrom(next, b, o, n, sink));
            }
        }

        @Override
        public long decodedBytes() {
            return stages.get(stages.size() - 1).decodedBytes();
        }

        @Override
        public void close() {
            stages.forEach(ContentDecoder::close);
        }
    }
}
