package dev.claudebottle.supervise;

import dev.claudebottle.dlp.Finding;
import dev.claudebottle.dlp.SecretScanner;

import java.util.List;
import java.util.Optional;

/**
 * Detects secret-looking values (tokens, keys, passwords) in text that an agent sends to supervise.
 * Supervise refuses a request that contains one, and never writes the value to a queue file, the audit
 * log or a log line.
 */
@FunctionalInterface
public interface SecretCheck {

    /**
     * Scans {@code text}.
     *
     * @return the id of the first rule that matched, such as {@code github-pat}, or empty when the text
     *     looks clean; never the matched value
     */
    Optional<String> firstMatch(String text);

    /** Adapts a dlp-rules scanner, which also finds secrets that are URL-, base64-, hex- or JSON-encoded. */
    static SecretCheck of(SecretScanner scanner) {
        return text -> {
            List<Finding> findings = scanner.scan(text);
            return findings.isEmpty() ? Optional.empty() : Optional.of(findings.get(0).ruleId());
        };
    }

    /** Returns a check with the dlp-rules built-in rules, which the egress proxy also applies. */
    static SecretCheck builtIn() {
        return of(SecretScanner.withBuiltInRules());
    }
}
