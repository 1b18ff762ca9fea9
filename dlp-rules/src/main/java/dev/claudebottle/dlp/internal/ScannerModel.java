package dev.claudebottle.dlp.internal;

import dev.claudebottle.dlp.Rule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Everything a scan needs, compiled once per scanner and shared read-only by its sessions. It
 * contains the rules, the literals and one keyword automaton. The automaton finds rule keywords,
 * literal prefixes, their base64 and hex forms, and the escapes that start URL and JSON decoding.
 */
public final class ScannerModel {
    /** How far decoding may go inside decoded bytes (for example base64 inside a JSON string). */
    public static final int MAX_DECODE_DEPTH = 3;
    /**
     * Shortest base64 form of a keyword that triggers decoding. Four characters is what a
     * four-byte prefix such as {@code ghp_} keeps at its worst alignment; a false trigger costs
     * only the decoding of the base64 run around it.
     */
    static final int MIN_BASE64_TRIGGER = 4;
    /**
     * Maximum length of a base64 or hex trigger pattern. A longer prefix of an encoded keyword
     * would rarely match ordinary text anyway, and every extra character adds automaton states.
     */
    static final int MAX_ENCODED_TRIGGER = 12;
    /** Shortest hex form of a keyword that triggers decoding. */
    static final int MIN_HEX_TRIGGER = 6;
    /** Literal prefix length used as the automaton pattern; the whole value is compared on a hit. */
    static final int LITERAL_PREFIX = 24;

    /** A decoder, with the most encoded bytes one decoded byte can take. */
    public enum Decoder {
        BASE64("base64", 2),
        HEX("hex", 2),
        PERCENT("url", 3),
        JSON("json", 6);

        final String label;
        final int expansion;

        Decoder(String label, int expansion) {
            this.label = label;
            this.expansion = expansion;
        }
    }

    /** Kind of work an automaton pattern starts. */
    enum Kind { KEYWORD, LITERAL, DECODE }

    /** One automaton pattern: its kind, the rule, literal or decoder it belongs to, and its length. */
    record PatternInfo(Kind kind, int target, int length) {
    }

    /** An exact value to report wherever it appears. {@link #toString()} leaves the value out. */
    public record Literal(String id, String description, byte[] value) {
        @Override
        public String toString() {
            return "Literal[" + id + ", " + value.length + " bytes]";
        }
    }

    final List<Rule> rules;
    final List<Literal> literals;
    final KeywordAutomaton automaton;
    final PatternInfo[] patterns;
    /** Maximum secret window in bytes: the largest rule maxLength or literal length. */
    final int maxSecretLength;
    /** Bytes at the end of a stream that are never releasable before more input or finish. */
    final int holdBack;

    public ScannerModel(List<Rule> rules, List<Literal> literals) {
        this.rules = List.copyOf(rules);
        this.literals = List.copyOf(literals);

        List<byte[]> bytes = new ArrayList<>();
        List<PatternInfo> infos = new ArrayList<>();
        int longest = 16;
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            longest = Math.max(longest, rule.maxLength());
            for (String keyword : rule.keywords()) {
                byte[] k = keyword.getBytes(StandardCharsets.US_ASCII);
                add(bytes, infos, k, new PatternInfo(Kind.KEYWORD, r, k.length));
                for (String variant : caseVariants(keyword)) {
                    addEncodedForms(bytes, infos, variant.getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        for (int l = 0; l < literals.size(); l++) {
            byte[] value = literals.get(l).value();
            longest = Math.max(longest, value.length);
            byte[] prefix = java.util.Arrays.copyOf(value, Math.min(LITERAL_PREFIX, value.length));
            add(bytes, infos, prefix, new PatternInfo(Kind.LITERAL, l, prefix.length));
            addEncodedForms(bytes, infos, prefix);
        }
        addEscapeTriggers(bytes, infos);

        this.automaton = new KeywordAutomaton(bytes);
        this.patterns = infos.toArray(PatternInfo[]::new);
        this.maxSecretLength = longest;
        int maxExpansion = 0;
        for (Decoder decoder : Decoder.values()) {
            maxExpansion = Math.max(maxExpansion, decoder.expansion);
        }
        this.holdBack = Math.max(automaton.maxPatternLength(), maxExpansion * longest) + 16;
    }

    private static void add(List<byte[]> bytes, List<PatternInfo> infos, byte[] pattern, PatternInfo info) {
        bytes.add(pattern);
        infos.add(info);
    }

    private static Set<String> caseVariants(String keyword) {
        Set<String> variants = new LinkedHashSet<>();
        variants.add(keyword);
        variants.add(keyword.toLowerCase(Locale.ROOT));
        variants.add(keyword.toUpperCase(Locale.ROOT));
        return variants;
    }

    /**
     * Adds the base64 forms of {@code value} at its three possible alignments (only the characters
     * that depend on {@code value} alone, in both alphabets) and its hex form, as decode triggers.
     *
     * <p>NOTE: a keyword shorter than four bytes keeps a base64 form at only some alignments, and
     * base64 of percent- or JSON-escaped text has no keyword form at all, so such layers are not
     * decoded. Percent and JSON escapes, and base64 inside them, are decoded at every layer.
     */
    private static void addEncodedForms(List<byte[]> bytes, List<PatternInfo> infos, byte[] value) {
        Set<String> forms = new LinkedHashSet<>();
        for (int shift = 0; shift < 3; shift++) {
            byte[] padded = new byte[shift + value.length + 2];
            System.arraycopy(value, 0, padded, shift, value.length);
            String encoded = Base64.getEncoder().encodeToString(padded);
            int firstBit = 8 * shift;
            int endBit = 8 * (shift + value.length);
            int first = (firstBit + 5) / 6;
            int end = endBit / 6;
            if (end - first >= MIN_BASE64_TRIGGER) {
                String stable = encoded.substring(first, Math.min(end, first + MAX_ENCODED_TRIGGER));
                forms.add(stable);
                forms.add(stable.replace('+', '-').replace('/', '_'));
            }
        }
        for (String form : forms) {
            add(bytes, infos, form.getBytes(StandardCharsets.US_ASCII),
                    new PatternInfo(Kind.DECODE, Decoder.BASE64.ordinal(), form.length()));
        }
        if (value.length * 2 >= MIN_HEX_TRIGGER) {
            String hexForm = HexFormat.of().formatHex(value);
            byte[] hex = hexForm.substring(0, Math.min(hexForm.length(), MAX_ENCODED_TRIGGER)).getBytes(StandardCharsets.US_ASCII);
            add(bytes, infos, hex, new PatternInfo(Kind.DECODE, Decoder.HEX.ordinal(), hex.length));
        }
    }

    /** Adds {@code %XX} (any two hex digits) and the JSON escapes {@code \\u00} and {@code \\/}. */
    private static void addEscapeTriggers(List<byte[]> bytes, List<PatternInfo> infos) {
        String hexDigits = "0123456789abcdef";
        for (int hi = 0; hi < 16; hi++) {
            for (int lo = 0; lo < 16; lo++) {
                byte[] escape = {'%', (byte) hexDigits.charAt(hi), (byte) hexDigits.charAt(lo)};
                add(bytes, infos, escape, new PatternInfo(Kind.DECODE, Decoder.PERCENT.ordinal(), 3));
            }
        }
        add(bytes, infos, new byte[] {'\\', 'u', '0', '0'}, new PatternInfo(Kind.DECODE, Decoder.JSON.ordinal(), 4));
        add(bytes, infos, new byte[] {'\\', '/'}, new PatternInfo(Kind.DECODE, Decoder.JSON.ordinal(), 2));
    }

    /** Bytes at the end of a stream held back until more input arrives. */
    public int holdBack() {
        return holdBack;
    }

    /** Number of literals. */
    public int literalCount() {
        return literals.size();
    }

    /** Number of automaton patterns, for diagnostics. */
    public int patternCount() {
        return patterns.length;
    }

    /** Number of automaton states, for diagnostics. */
    public int stateCount() {
        return automaton.stateCount();
    }
}
