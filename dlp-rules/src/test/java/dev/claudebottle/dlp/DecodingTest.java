package dev.claudebottle.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Secrets hidden by the encodings an agent could use to slip them past the egress proxy. */
class DecodingTest {
    private static final String TOKEN = "ghp_" + "Zq3X9vT2mLw8RkP4nYb6HcJ1sDf7GtE5aUo0";
    private static final String LITERAL = "Inj3cted-Cr3dential-9f8e7d6c";

    private final SecretScanner scanner = SecretScanner.builder()
            .literal("injected-token", "token injected by cred-proxy", LITERAL.getBytes(StandardCharsets.UTF_8))
            .build();

    private static String percentEncodeAll(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(String.format("%02X", b & 0xff));
        }
        return out.toString();
    }

    private static String jsonEscapeAll(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }

    private void assertFound(String input, String ruleId, String encoding) {
        List<Finding> findings = scanner.scan(input);

        assertThat(findings).extracting(Finding::ruleId).containsExactly(ruleId);
        assertThat(findings.get(0).encoding()).isEqualTo(encoding);
    }

    @Nested
    class RuleMatches {
        @Test
        void findsFullyPercentEncodedToken() {
            String input = "GET /x?a=" + percentEncodeAll(TOKEN) + " HTTP/1.1";

            assertFound(input, "github-pat", "url");
            Finding finding = scanner.scan(input).get(0);
            assertThat(input.substring((int) finding.start(), (int) finding.end())).isEqualTo(percentEncodeAll(TOKEN));
            assertThat(finding.redacted()).isEqualTo("ghp_…(40 chars)");
        }

        @Test
        void findsPercentEncodedPasswordInForm() {
            String form = "user=alice&password=" + URLEncoder.encode("Xk9#mQ2v/L7pR4tW", StandardCharsets.UTF_8) + "&x=1";

            assertThat(scanner.scan(form)).extracting(Finding::ruleId).containsExactly("generic-password-unquoted");
        }

        @Test
        void findsJsonUnicodeEscapedToken() {
            assertFound("{\"note\": \"" + jsonEscapeAll(TOKEN) + "\"}", "github-pat", "json");
        }

        @Test
        void findsJsonEscapedPemKeyWithSlashes() {
            String key = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\/KcwggSjAgEAAoIBAQC7\\/x9mN4pL2tK8wZ5\\n";

            assertThat(scanner.scan("{\"private_key\": \"" + key + "\"}")).extracting(Finding::ruleId).contains("pem-private-key");
        }

        @Test
        void findsHexEncodedToken() {
            assertFound("data=" + HexFormat.of().formatHex(TOKEN.getBytes(StandardCharsets.UTF_8)) + ";", "github-pat", "hex");
        }

        @Test
        void findsUrlSafeBase64AtEveryAlignment() {
            for (String prefix : List.of("", "a", "ab")) {
                String encoded = Base64.getUrlEncoder().encodeToString((prefix + TOKEN).getBytes(StandardCharsets.UTF_8));

                assertFound("v=" + encoded + "\n", "github-pat", "base64");
            }
        }

        @Test
        void findsPercentEncodedBase64Token() {
            String base64 = Base64.getEncoder().encodeToString(("k:" + TOKEN).getBytes(StandardCharsets.UTF_8));

            assertFound("q=" + percentEncodeAll(base64) + "&x", "github-pat", "url+base64");
        }

        @Test
        void ignoresEncodingsOfOrdinaryText() {
            String text = "%20%41%42 " + jsonEscapeAll("hello world") + " "
                    + Base64.getEncoder().encodeToString("just some ordinary words".getBytes(StandardCharsets.UTF_8));

            assertThat(scanner.scan(text)).isEmpty();
        }
    }

    @Nested
    class Literals {
        @Test
        void findsLiteralInEveryEncoding() {
            byte[] value = LITERAL.getBytes(StandardCharsets.UTF_8);

            assertFound("Bearer " + LITERAL, "injected-token", "plain");
            assertFound("x=" + Base64.getEncoder().encodeToString(("u:" + LITERAL).getBytes(StandardCharsets.UTF_8)), "injected-token", "base64");
            assertFound("x=" + HexFormat.of().formatHex(value), "injected-token", "hex");
            assertFound("x=" + percentEncodeAll(LITERAL), "injected-token", "url");
            assertFound("{\"a\":\"" + jsonEscapeAll(LITERAL) + "\"}", "injected-token", "json");
        }

        @Test
        void literalIsCaseSensitive() {
            assertThat(scanner.scan("Bearer " + LITERAL.toLowerCase())).isEmpty();
        }

        @Test
        void redactsLiteral() {
            Finding finding = scanner.scan("Bearer " + LITERAL).get(0);

            assertThat(finding.redacted()).isEqualTo("Inj3…(28 chars)");
            assertThat(finding.toString()).doesNotContain(LITERAL);
        }
    }
}
