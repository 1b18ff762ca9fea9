package dev.claudebottle.dlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamScanTest {
    private static final String GITHUB_TOKEN = "ghp_" + "Zq3X9vT2mLw8RkP4nYb6HcJ1sDf7GtE5aUo0";
    private static final String PEM = "-----BEGIN RSA PRIVATE KEY-----\n"
            + "MIIEowIBAAKCAQEAq7Bv2mN4pL9xR3tK8wZ5yH1cJ6dF0gS2aE7uQ4iO9pW3vB1nM8kT\n"
            + "xY2zC5rL7hG4jD9fA3sQ6wE1tR8yU0iP5oK2lJ7mN4bV9cX3zH6gF1dS8aW5eR2tY7u\n"
            + "-----END RSA PRIVATE KEY-----\n";

    private static final SecretScanner SCANNER = SecretScanner.builder()
            .literal("injected-token", "token injected by cred-proxy", "Inj3cted-Cr3dential-9f8e7d6c".getBytes(StandardCharsets.UTF_8))
            .build();

    /** Feeds {@code text} split at {@code split} and returns all findings. */
    private static List<Finding> scanSplit(byte[] text, int split) {
        StreamScan scan = SCANNER.newStream();
        List<Finding> findings = new ArrayList<>(scan.feed(text, 0, split));
        findings.addAll(scan.feed(text, split, text.length - split));
        findings.addAll(scan.finish());
        return findings;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "plain token",
        "pem key",
        "generic password",
        "url-encoded token",
        "json-escaped token",
        "base64 token",
        "literal",
        "base64 literal",
    })
    void findsSecretAtEverySplitPoint(String sampleName) {
        byte[] text = sample(sampleName).getBytes(StandardCharsets.UTF_8);
        List<Finding> whole = SCANNER.scan(text);
        assertThat(whole).as("one-shot findings of %s", sampleName).hasSize(1);

        for (int split = 0; split <= text.length; split++) {
            List<Finding> findings = scanSplit(text, split);

            assertThat(findings).as("split at %d", split).containsExactlyElementsOf(whole);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plain token", "pem key", "url-encoded token", "base64 token", "literal"})
    void holdsBackSecretUntilFound(String sampleName) {
        byte[] text = sample(sampleName).getBytes(StandardCharsets.UTF_8);
        long secretStart = SCANNER.scan(text).get(0).start();
        StreamScan scan = SCANNER.newStream();
        boolean found = false;

        for (int i = 0; i < text.length && !found; i++) {
            found = !scan.feed(text, i, 1).isEmpty();
            if (!found) {
                assertThat(scan.releasable()).as("releasable after byte %d", i).isLessThanOrEqualTo(secretStart);
            }
        }
        if (!found) {
            found = !scan.finish().isEmpty();
        }

        assertThat(found).isTrue();
    }

    private static String sample(String name) {
        String padding = "x".repeat(300) + "\n";
        return switch (name) {
            case "plain token" -> padding + "token: " + GITHUB_TOKEN + "\n" + padding;
            case "pem key" -> padding + PEM + padding;
            case "generic password" -> padding + "db_password = \"Xk9mQ2vL7pR4tW8z\"\n" + padding;
            case "url-encoded token" -> padding + "q=%67%68%70%5F" + GITHUB_TOKEN.substring(4) + "&x=1\n" + padding;
            case "json-escaped token" -> padding + "{\"t\":\"\\u0067hp\\u005f" + GITHUB_TOKEN.substring(4) + "\"}\n" + padding;
            case "base64 token" -> padding + "blob: "
                    + Base64.getEncoder().encodeToString(("key " + GITHUB_TOKEN).getBytes(StandardCharsets.UTF_8)) + "\n" + padding;
            case "literal" -> padding + "Authorization: Bearer Inj3cted-Cr3dential-9f8e7d6c\n" + padding;
            case "base64 literal" -> padding + "auth="
                    + Base64.getEncoder().encodeToString("u:Inj3cted-Cr3dential-9f8e7d6c".getBytes(StandardCharsets.UTF_8)) + "\n" + padding;
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Nested
    class Offsets {
        @Test
        void reportsAbsoluteStreamOffsetsOnce() {
            byte[] filler = ("y".repeat(99) + "\n").repeat(1000).getBytes(StandardCharsets.UTF_8);
            byte[] secret = ("token: " + GITHUB_TOKEN + "\n").getBytes(StandardCharsets.UTF_8);
            StreamScan scan = SCANNER.newStream();
            List<Finding> findings = new ArrayList<>();

            findings.addAll(scan.feed(filler, 0, filler.length));
            findings.addAll(scan.feed(secret, 0, secret.length));
            findings.addAll(scan.feed(filler, 0, filler.length));
            findings.addAll(scan.finish());

            assertThat(findings).hasSize(1);
            assertThat(findings.get(0).start()).isEqualTo(filler.length + 7);
            assertThat(findings.get(0).end()).isEqualTo(filler.length + 7 + GITHUB_TOKEN.length());
            assertThat(scan.releasable()).isEqualTo(2L * filler.length + secret.length);
        }

        @Test
        void cleanStreamReleasesAllButTail() {
            byte[] filler = ("y".repeat(99) + "\n").repeat(1000).getBytes(StandardCharsets.UTF_8);
            StreamScan scan = SCANNER.newStream();

            scan.feed(filler, 0, filler.length);

            assertThat(scan.releasable()).isEqualTo(filler.length - SCANNER.holdBackBytes());
            assertThat(scan.position()).isEqualTo(filler.length);
        }

        @Test
        void rejectsFeedAfterFinish() {
            StreamScan scan = SCANNER.newStream();
            scan.finish();

            assertThatThrownBy(() -> scan.feed(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(scan::finish).isInstanceOf(IllegalStateException.class);
        }
    }
}
