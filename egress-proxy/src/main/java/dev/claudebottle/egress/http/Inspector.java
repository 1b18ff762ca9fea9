package dev.claudebottle.egress.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import dev.claudebottle.dlp.Finding;
import dev.claudebottle.dlp.RuleSet;
import dev.claudebottle.dlp.SecretScanner;
import dev.claudebottle.dlp.StreamScan;
import dev.claudebottle.egress.config.CredentialBinding;
import dev.claudebottle.egress.config.DlpSettings;

/**
 * DLP for requests: the built-in rules plus one literal per declared credential. A credential's
 * finding is dropped when the request goes to the credential's own host, and is a leak anywhere
 * else. Immutable; one per config.
 */
public final class Inspector {

    private static final String CREDENTIAL_PREFIX = "credential.";

    private final SecretScanner scanner;
    private final Map<String, Set<String>> credentialHosts;
    private final DlpSettings settings;

    private Inspector(SecretScanner scanner, Map<String, Set<String>> credentialHosts, DlpSettings settings) {
        this.scanner = scanner;
        this.credentialHosts = credentialHosts;
        this.settings = settings;
    }

    /**
     * Builds the inspector, reading each credential value once. Bindings that carry the same value
     * share one literal, so a token that cred-proxy injects for two upstream hosts (one token for a
     * forge's API and its git host, say) may go to either of them and nowhere else.
     */
    public static Inspector create(DlpSettings settings, List<CredentialBinding> credentials) {
        SecretScanner.Builder builder = SecretScanner.builder().rules(RuleSet.builtIn());
        Map<String, Set<String>> hosts = new HashMap<>();
        List<byte[]> values = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (CredentialBinding binding : credentials) {
            byte[] value = binding.readValue();
            int known = indexOf(values, value);
            if (known >= 0) {
                hosts.get(ids.get(known)).add(binding.host());
                continue;
            }
            String id = CREDENTIAL_PREFIX + binding.name();
            if (hosts.containsKey(id)) {
                id = id + "#" + (ids.size() + 1);
            }
            builder.literal(id, "credential '" + binding.name() + "'", value);
            values.add(value);
            ids.add(id);
            hosts.put(id, new LinkedHashSet<>(List.of(binding.host())));
        }
        Map<String, Set<String>> frozen = new HashMap<>();
        hosts.forEach((id, bound) -> frozen.put(id, Set.copyOf(bound)));
        return new Inspector(builder.build(), Map.copyOf(frozen), settings);
    }

    private static int indexOf(List<byte[]> values, byte[] value) {
        for (int i = 0; i < values.size(); i++) {
            if (Arrays.equals(values.get(i), value)) {
                return i;
            }
        }
        return -1;
    }

    public DlpSettings settings() {
        return settings;
    }

    /**
     * Scans the request target and header values; {@code Proxy-Authorization} is skipped because
     * it is meant for this proxy and never forwarded.
     *
     * @return the first finding that counts toward {@code host}
     */
    public Optional<Finding> scanHead(String host, String target, HttpHeaders headers) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(target.length() + 512).append(target).append('\n');
        // The CharSequence iterator hands out the stored names and values without converting them.
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> header = it.next();
            if (AsciiString.contentEqualsIgnoreCase(header.getKey(), HttpHeaderNames.PROXY_AUTHORIZATION)) {
                continue;
            }
            text.append(header.getKey()).append(": ").append(header.getValue()).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        List<Finding> findings = relevant(host, scanner.scan(bytes, 0, bytes.length));
        return findings.isEmpty() ? Optional.empty() : Optional.of(findings.get(0));
    }

    /** Starts a streaming scan for one body or WebSocket message. */
    public StreamScan newStream() {
        return scanner.newStream();
    }

    /**
     * Returns the findings that count for a request to {@code host}. A credential bound to
     * {@code host} does not count, and neither does a built-in rule's finding that lies inside it:
     * an injected token shaped like a known secret (an Anthropic OAuth token, say) matches both.
     */
    public List<Finding> relevant(String host, List<Finding> findings) {
        if (findings.isEmpty()) {
            return findings;
        }
        List<Finding> allowed = new ArrayList<>();
        for (Finding finding : findings) {
            Set<String> boundHosts = credentialHosts.get(finding.ruleId());
            if (boundHosts != null && boundHosts.stream().anyMatch(bound -> hostMatches(bound, host))) {
                allowed.add(finding);
            }
        }
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding finding : findings) {
            boolean insideAllowed = allowed.stream().anyMatch(credential -> credential.encoding().equals(finding.encoding())
                    && credential.start() <= finding.start() && finding.end() <= credential.end());
            if (!insideAllowed) {
                out.add(finding);
            }
        }
        return out;
    }

    private static boolean hostMatches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            return host.endsWith(pattern.substring(1));
        }
        return pattern.equals(host);
    }

    /** Returns a sentence naming the finding's rule and its redacted sample, never the value. */
    public static String describe(Finding finding) {
        return finding.description() + " (rule " + finding.ruleId() + ", " + finding.redacted()
                + (finding.encoding().equals("plain") ? "" : ", encoded as " + finding.encoding())
                + ")";
    }
}
