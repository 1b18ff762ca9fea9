package dev.claudebottle.dlp;

import dev.claudebottle.dlp.internal.ScanSession;
import dev.claudebottle.dlp.internal.ScannerModel;
import dev.claudebottle.dlp.internal.ScannerModel.Literal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds secrets in bytes with a {@link RuleSet} and exact literal values.
 *
 * <p>One pass of a keyword automaton finds every rule keyword; a rule's regex runs only at its
 * keyword hits. The base64 and hex forms of keywords, {@code %XX} escapes and JSON {@code \\u00XX}
 * or {@code \\/} escapes start decoding of a window around them, and the decoded bytes are scanned
 * again (up to three decoding layers deep). Findings in decoded bytes are reported at the encoded
 * bytes of the input.
 *
 * <p>Immutable and thread-safe; each scan or {@link StreamScan} has its own state.
 */
public final class SecretScanner {
    /** Shortest literal accepted; shorter values would match ordinary text. */
    public static final int MIN_LITERAL_LENGTH = 8;

    private final RuleSet rules;
    private final ScannerModel model;

    private SecretScanner(RuleSet rules, List<Literal> literals) {
        this.rules = rules;
        this.model = new ScannerModel(rules.rules(), literals);
    }

    /** Starts a builder; without {@link Builder#rules} it uses {@link RuleSet#builtIn()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a scanner with the built-in rules and no literals. */
    public static SecretScanner withBuiltInRules() {
        return builder().build();
    }

    /** Returns the rules this scanner applies. */
    public RuleSet rules() {
        return rules;
    }

    /**
     * Scans {@code data[offset, offset + length)}.
     *
     * @return findings ordered by start, offsets relative to {@code offset}
     */
    public List<Finding> scan(byte[] data, int offset, int length) {
        return ScanSession.scanAll(model, data, offset, length);
    }

    /** Scans all of {@code data}. */
    public List<Finding> scan(byte[] data) {
        return scan(data, 0, data.length);
    }

    /** Scans the UTF-8 form of {@code text}; finding offsets are {@code char} indices into {@code text}. */
    public List<Finding> scan(CharSequence text) {
        String string = text.toString();
        byte[] bytes = string.getBytes(StandardCharsets.UTF_8);
        List<Finding> findings = scan(bytes, 0, bytes.length);
        if (bytes.length == string.length() || findings.isEmpty()) {
            return findings;
        }
        int[] charIndex = charIndexOfBytes(string, bytes.length);
        List<Finding> mapped = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            mapped.add(new Finding(f.ruleId(), f.description(), charIndex[(int) f.start()], charIndex[(int) f.end()],
                    f.redacted(), f.encoding()));
        }
        return mapped;
    }

    private static int[] charIndexOfBytes(String string, int byteLength) {
        int[] charIndex = new int[byteLength + 1];
        int b = 0;
        for (int i = 0; i < string.length(); ) {
            int codePoint = string.codePointAt(i);
            int width = utf8Width(codePoint);
            for (int k = 0; k < width && b < byteLength; k++) {
                charIndex[b++] = i;
            }
            i += Character.charCount(codePoint);
        }
        charIndex[byteLength] = string.length();
        return charIndex;
    }

    /** Returns the UTF-8 length of a code point; a lone surrogate encodes as one {@code ?}. */
    private static int utf8Width(int codePoint) {
        if (codePoint < 0x80 || Character.isSurrogate((char) codePoint) && codePoint < 0x10000) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        if (codePoint < 0x10000) {
            return 3;
        }
        return 4;
    }

    /** Starts a scan over a stream of chunks. */
    public StreamScan newStream() {
        return ScanSession.stream(model);
    }

    /**
     * Returns how many bytes at the end of a stream stay held back until more input arrives or the
     * stream finishes: the maximum secret window times the largest decoding expansion.
     */
    public int holdBackBytes() {
        return model.holdBack();
    }

    @Override
    public String toString() {
        return "SecretScanner[" + rules.rules().size() + " rules, " + model.literalCount() + " literals]";
    }

    /** Builds a {@link SecretScanner}. Not thread-safe. */
    public static final class Builder {
        private RuleSet rules;
        private final List<Literal> literals = new ArrayList<>();
        private final Set<String> literalIds = new HashSet<>();

        private Builder() {
        }

        /** Sets the rules; the default is {@link RuleSet#builtIn()}. */
        public Builder rules(RuleSet ruleSet) {
            this.rules = Objects.requireNonNull(ruleSet, "ruleSet");
            return this;
        }

        /**
         * Adds an exact value to report wherever it appears, in plain or decoded form, such as a
         * credential that a proxy injects and that must not leave toward any other host.
         *
         * @param id finding id for this value, unique among literals and rules
         * @param description what the value is, shown with findings
         * @param value the secret bytes, {@value #MIN_LITERAL_LENGTH} to
         *     {@value Rule#MAX_LENGTH_LIMIT} bytes; copied
         * @throws DlpException naming the literal (never its value) when it is invalid
         */
        public Builder literal(String id, String description, byte[] value) {
            if (id == null || id.isBlank()) {
                throw new DlpException("literal id is missing; give each literal a non-empty id");
            }
            if (description == null || description.isBlank()) {
                throw new DlpException("literal '" + id + "': description is missing");
            }
            if (value == null || value.length < MIN_LITERAL_LENGTH || value.length > Rule.MAX_LENGTH_LIMIT) {
                throw new DlpException("literal '" + id + "': value length " + (value == null ? "null" : value.length)
                        + " is out of range; use " + MIN_LITERAL_LENGTH + " to " + Rule.MAX_LENGTH_LIMIT + " bytes");
            }
            if (!literalIds.add(id)) {
                throw new DlpException("literal '" + id + "' is added twice; use unique ids");
            }
            literals.add(new Literal(id, description, value.clone()));
            return this;
        }

        /**
         * Builds the scanner.
         *
         * @throws DlpException when a literal id equals a rule id
         */
        public SecretScanner build() {
            RuleSet ruleSet = rules == null ? RuleSet.builtIn() : rules;
            for (Literal literal : literals) {
                if (ruleSet.rule(literal.id()) != null) {
                    throw new DlpException("literal '" + literal.id() + "' has the id of a rule; use another id");
                }
            }
            return new SecretScanner(ruleSet, literals);
        }
    }
}
