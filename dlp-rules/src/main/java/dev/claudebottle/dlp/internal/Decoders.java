package dev.claudebottle.dlp.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Decoders applied to a window of the input around a trigger, before the rules run again on the
 * result: base64 (standard and URL-safe alphabets) and hex runs, URL percent-encoding and JSON
 * string escapes.
 *
 * <p>Each returns the decoded bytes with a map back to source indices, so that a finding in decoded
 * bytes is reported at the encoded bytes of the input.
 */
public final class Decoders {
    private static final byte[] BASE64_VALUE = new byte[256];
    private static final byte[] HEX_VALUE = new byte[256];

    static {
        java.util.Arrays.fill(BASE64_VALUE, (byte) -1);
        java.util.Arrays.fill(HEX_VALUE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64_VALUE[alphabet.charAt(i)] = (byte) i;
        }
        BASE64_VALUE['-'] = 62;
        BASE64_VALUE['_'] = 63;
        for (int i = 0; i < 10; i++) {
            HEX_VALUE['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            HEX_VALUE['a' + i] = (byte) (10 + i);
            HEX_VALUE['A' + i] = (byte) (10 + i);
        }
    }

    private Decoders() {
    }

    static boolean isBase64(byte b) {
        return BASE64_VALUE[b & 0xff] >= 0;
    }

    static int hexValue(byte b) {
        return HEX_VALUE[b & 0xff];
    }

    /**
     * Decodes the base64 run that contains index {@code hit}, limited to {@code [from, to)}, at all
     * four alignments: the run may be glued to a word (as in {@code data:eyJ...} or a key name) or
     * cut by {@code from}, so its start tells nothing reliable about the alignment. Padding ends a run.
     */
    public static List<Decoded> base64Run(byte[] src, int from, int to, int hit) {
        int start = hit;
        while (start > from && isBase64(src[start - 1])) {
            start--;
        }
        int end = hit;
        while (end < to && isBase64(src[end])) {
            end++;
        }
        List<Decoded> result = new ArrayList<>(4);
        for (int a = 0; a < 4 && start + a < end; a++) {
            result.add(decodeBase64(src, start + a, end));
        }
        return result;
    }

    private static Decoded decodeBase64(byte[] src, int from, int to) {
        byte[] out = new byte[(to - from) * 3 / 4 + 3];
        int[] index = new int[out.length + 1];
        int n = 0;
        int bits = 0;
        int bitCount = 0;
        int byteSource = from;
        for (int i = from; i < to; i++) {
            int v = BASE64_VALUE[src[i] & 0xff];
            if (bitCount == 0) {
                byteSource = i;
            }
            bits = bits << 6 | v;
            bitCount += 6;
            if (bitCount >= 8) {
                bitCount -= 8;
                index[n] = byteSource;
                out[n++] = (byte) (bits >>> bitCount);
                bits &= (1 << bitCount) - 1;
                if (bitCount > 0) {
                    byteSource = i;
                }
            }
        }
        index[n] = to;
        return new Decoded(out, n, index);
    }

    /** Decodes the hex run that contains index {@code hit}, like {@link #base64Run} at both alignments. */
    public static List<Decoded> hexRun(byte[] src, int from, int to, int hit) {
        int start = hit;
        while (start > from && hexValue(src[start - 1]) >= 0) {
            start--;
        }
        int end = hit;
        while (end < to && hexValue(src[end]) >= 0) {
            end++;
        }
        List<Decoded> result = new ArrayList<>(2);
        for (int a = 0; a < 2 && start + a < end; a++) {
            int first = start + a;
            int count = (end - first) / 2;
            byte[] out = new byte[count];
            int[] index = new int[count + 1];
            for (int k = 0; k < count; k++) {
                int i = first + 2 * k;
                index[k] = i;
                out[k] = (byte) (hexValue(src[i]) << 4 | hexValue(src[i + 1]));
            }
            index[count] = first + 2 * count;
            result.add(new Decoded(out, count, index));
        }
        return result;
    }

    /** Decodes {@code %XX} escapes in {@code [from, to)}; other bytes, {@code +} included, pass unchanged. */
    public static Decoded percent(byte[] src, int from, int to) {
        byte[] out = new byte[to - from];
        int[] index = new int[out.length + 1];
        int n = 0;
        int i = from;
        while (i < to) {
            index[n] = i;
            if (src[i] == '%' && i + 2 < to && hexValue(src[i + 1]) >= 0 && hexValue(src[i + 2]) >= 0) {
                out[n++] = (byte) (hexValue(src[i + 1]) << 4 | hexValue(src[i + 2]));
                i += 3;
            } else {
                out[n++] = src[i++];
            }
        }
        index[n] = to;
        return new Decoded(out, n, index);
    }

    /**
     * Decodes JSON string escapes (RFC 8259 section 7) in {@code [from, to)}: {@code \\uXXXX} to
     * UTF-8 (surrogate pairs joined), and the one-character escapes. Invalid escapes pass unchanged.
     */
    public static Decoded jsonEscapes(byte[] src, int from, int to) {
        byte[] out = new byte[to - from];
        int[] index = new int[out.length + 1];
        int n = 0;
        int i = from;
        while (i < to) {
            int start = i;
            if (src[i] != '\\' || i + 1 >= to) {
                index[n] = i;
                out[n++] = src[i++];
                continue;
            }
            byte e = src[i + 1];
            int simple = switch (e) {
                case '"', '\\', '/' -> e;
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'b' -> '\b';
                case 'f' -> '\f';
                default -> -1;
            };
            if (simple >= 0) {
                index[n] = start;
                out[n++] = (byte) simple;
                i += 2;
                continue;
            }
            int unit = e == 'u' ? hex4(src, i + 2, to) : -1;
            if (unit < 0) {
                index[n] = i;
                out[n++] = src[i++];
                continue;
            }
            i += 6;
            int codePoint = unit;
            if (Character.isHighSurrogate((char) unit) && i + 1 < to && src[i] == '\\' && src[i + 1] == 'u') {
                int low = hex4(src, i + 2, to);
                if (low >= 0 && Character.isLowSurrogate((char) low)) {
                    codePoint = Character.toCodePoint((char) unit, (char) low);
                    i += 6;
                }
            }
            n = appendUtf8(out, index, n, codePoint, start);
        }
        index[n] = to;
        return new Decoded(out, n, index);
    }

    private static int hex4(byte[] src, int at, int to) {
        if (at + 4 > to) {
            return -1;
        }
        int value = 0;
        for (int k = 0; k < 4; k++) {
            int h = hexValue(src[at + k]);
            if (h < 0) {
                return -1;
            }
            value = value << 4 | h;
        }
        return value;
    }

    /** Appends the UTF-8 form of a code point; every escape is at least 6 bytes, so it always fits. */
    private static int appendUtf8(byte[] out, int[] index, int n, int codePoint, int source) {
        byte[] encoded = new String(Character.toChars(codePoint)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte b : encoded) {
            index[n] = source;
            out[n++] = b;
        }
        return n;
    }
}
