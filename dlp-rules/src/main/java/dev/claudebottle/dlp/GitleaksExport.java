package dev.claudebottle.dlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link RuleSet} as a gitleaks 8.x TOML config that extends gitleaks' default rules
 * ({@code [extend] useDefault = true}), so git-gate can run the real gitleaks binary with
 * {@code --config} and catch what dlp-rules catches.
 *
 * <p>gitleaks compiles regexes with Go's RE2 syntax, which lacks lookaround, atomic groups,
 * possessive quantifiers, backreferences and some Java-only escapes. A rule that uses any of them
 * is left out, and the reason is listed in the TOML header and by {@link #skipped()}. Named groups
 * are rewritten from Java's {@code (?<name>...)} to RE2's {@code (?P<name>...)}. Runtime literals
 * of a {@link SecretScanner} are never exported.
 */
public final class GitleaksExport {
    private final RuleSet rules;
    private final List<String> exported = new ArrayList<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private final String toml;

    /** A rule left out of the export, with the reason. */
    public record Skipped(String ruleId, String reason) {
    }

    private GitleaksExport(RuleSet rules) {
        this.rules = rules;
        this.toml = render();
    }

    /** Converts the rule set. */
    public static GitleaksExport of(RuleSet rules) {
        return new GitleaksExport(rules);
    }

    /** Returns the TOML config text. */
    public String toml() {
        return toml;
    }

    /** Ids of the rules in the TOML. */
    public List<String> exported() {
        return List.copyOf(exported);
    }

    /** Rules left out because their regex does not translate to RE2. */
    public List<Skipped> skipped() {
        return List.copyOf(skipped);
    }

    /** Returns the reason a Java regex does not translate to RE2, or null when it does. */
    public static String untranslatable(String regex) {
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (i + 1 < regex.length()) {
                    String reason = unsupportedEscape(regex.charAt(i + 1), inClass);
                    if (reason != null) {
                        return reason;
                    }
                }
                i++;
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                } else if (c == '&' && regex.startsWith("&&", i)) {
                    return "character class intersection (&&)";
                }
                continue;
            }
            if (c == '[') {
                inClass = true;
                if (regex.startsWith("[]", i) || regex.startsWith("[^]", i)) {
                    i += regex.charAt(i + 1) == '^' ? 2 : 1;
                }
            } else if (c == '(' && regex.startsWith("(?", i)) {
                String group = regex.substring(i, Math.min(regex.length(), i + 4));
                if (group.startsWith("(?=") || group.startsWith("(?!")) {
                    return "lookahead";
                }
                if (group.startsWith("(?<=") || group.startsWith("(?<!")) {
                    return "lookbehind";
                }
                if (group.startsWith("(?>")) {
                    return "atomic group";
                }
            } else if (c == '+' && i > 0 && "*+?}".indexOf(regex.charAt(i - 1)) >= 0 && !isEscaped(regex, i - 1)) {
                return "possessive quantifier";
            }
        }
        return null;
    }

    private static String unsupportedEscape(char e, boolean inClass) {
        if (e >= '1' && e <= '9' && !inClass) {
            return "backreference";
        }
        return switch (e) {
            case 'k' -> "named backreference";
            case 'Z', 'G' -> "anchor \\" + e;
            case 'h', 'H', 'v', 'V', 'R', 'X' -> "Java-only escape \\" + e;
            case 'c' -> "control escape \\c";
            default -> null;
        };
    }

    private static boolean isEscaped(String regex, int index) {
        int backslashes = 0;
        for (int i = index - 1; i >= 0 && regex.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** Rewrites the Java-only spelling of constructs RE2 has under another name. */
    static String toRe2(String regex) {
        return regex.replaceAll("\\(\\?<([A-Za-z][A-Za-z0-9]*)>", "(?P<$1>");
    }

    private String render() {
        StringBuilder body = new StringBuilder();
        for (Rule rule : rules.rules()) {
            String reason = untranslatable(rule.regex());
            if (reason != null) {
                skipped.add(new Skipped(rule.id(), reason));
                continue;
            }
            exported.add(rule.id());
            appendRule(body, rule);
        }

        StringBuilder out = new StringBuilder();
        out.append("# gitleaks config generated by dlp-rules (java -jar dlp-rules.jar export-gitleaks).\n");
        out.append("# It adds ").append(exported.size()).append(" dlp-rules rules to gitleaks' default rules.\n");
        if (skipped.isEmpty()) {
            out.append("# Every rule translated to Go RE2 syntax.\n");
        } else {
            out.append("# Left out because their regex has no RE2 equivalent:\n");
            for (Skipped s : skipped) {
                out.append("#   ").append(s.ruleId()).append(": ").append(s.reason()).append('\n');
            }
        }
        out.append("title = \"claude-bottle dlp-rules\"\n\n[extend]\nuseDefault = true\n");
        return out.append(body).toString();
    }

    private static void appendRule(StringBuilder out, Rule rule) {
        out.append("\n[[rules]]\n");
        out.append("id = ").append(basicString(rule.id())).append('\n');
        out.append("description = ").append(basicString(rule.description())).append('\n');
        out.append("regex = ").append(tomlString(toRe2(rule.regex()))).append('\n');
        if (rule.secretGroup() > 0) {
            out.append("secretGroup = ").append(rule.secretGroup()).append('\n');
        }
        if (rule.entropy() > 0) {
            out.append("entropy = ").append(String.format(Locale.ROOT, "%.2f", rule.entropy())).append('\n');
        }
        out.append("keywords = ").append(stringArray(rule.keywords().stream().map(k -> k.toLowerCase(Locale.ROOT)).distinct().toList())).append('\n');
        out.append("tags = [\"dlp-rules\"]\n");
        if (!rule.allowlist().isEmpty() || !rule.stopwords().isEmpty()) {
            out.append("[rules.allowlist]\n");
            if (!rule.allowlist().isEmpty()) {
                List<String> exact = rule.allowlist().stream().sorted().map(v -> "^" + quoteRegex(v) + "$").toList();
                out.append("regexes = [").append(String.join(", ", exact.stream().map(GitleaksExport::tomlString).toList())).append("]\n");
            }
            if (!rule.stopwords().isEmpty()) {
                out.append("stopwords = ").append(stringArray(rule.stopwords())).append('\n');
            }
        }
    }

    private static String quoteRegex(String literal) {
        StringBuilder quoted = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.toString();
    }

    private static String stringArray(List<String> values) {
        return "[" + String.join(", ", values.stream().map(GitleaksExport::basicString).toList()) + "]";
    }

    /** Quotes text as a TOML literal string when it allows one (no escaping needed), else as a basic string. */
    private static String tomlString(String text) {
        if (!text.contains("'") && text.chars().noneMatch(c -> c < 0x20)) {
            return "'" + text + "'";
        }
        if (!text.contains("'''") && !text.endsWith("'") && text.chars().noneMatch(c -> c < 0x20)) {
            return "'''" + text + "'''";
        }
        return basicString(text);
    }

    private static String basicString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
