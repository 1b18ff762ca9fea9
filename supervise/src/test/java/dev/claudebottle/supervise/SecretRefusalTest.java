package dev.claudebottle.supervise;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token value smuggled into tool arguments is rejected and never reaches a queue file, the audit
 * log or the reply. The values are made up and only shaped like real tokens.
 */
class SecretRefusalTest {

    /** Shaped like a GitHub personal access token: ghp_ and 36 letters and digits. */
    static final String GITHUB_TOKEN = "ghp_Zq8Lw3Rt6Yp1Nx4Vb7Mc2Kd9Hf5Gj0Sa8QeX";
    /** Shaped like an AWS access key id: AKIA and 16 upper-case letters and digits. */
    static final String AWS_KEY_ID = "AKIAZ7QX3MBV5N2KLW4P";

    @TempDir
    Path state;

    private SuperviseFixture fixture;
    private String session;

    @BeforeEach
    void start() throws Exception {
        fixture = new SuperviseFixture(state, "implementer", builder -> { });
        session = fixture.initialize("2025-06-18");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    static Stream<String> smuggledArguments() {
        String jsonEscaped = "\\u0067" + GITHUB_TOKEN.substring(1);
        String urlEncoded = "%67%68%70" + GITHUB_TOKEN.substring(3);
        return Stream.of(
                route("GITHUB_TOKEN", "use " + GITHUB_TOKEN + " for now", null),
                route("GITHUB_TOKEN", "need the API", GITHUB_TOKEN),
                route(AWS_KEY_ID, "need S3", null),
                route("GITHUB_TOKEN", "the token is " + jsonEscaped, null),
                """
                {"path":"/github","upstream":"https://api.github.com/?access_token=%s","auth_scheme":"Bearer",
                 "token_ref":"GITHUB_TOKEN","justification":"need it"}""".formatted(GITHUB_TOKEN),
                """
                {"path":"/github","upstream":"https://api.github.com/?t=%s","auth_scheme":"Bearer",
                 "token_ref":"GITHUB_TOKEN","justification":"need it"}""".formatted(urlEncoded),
                """
                {"path":"/github","upstream":"https://api.github.com","auth_scheme":"Bearer",
                 "token_ref":"GITHUB_TOKEN","justification":"need it","%s":"x"}""".formatted(GITHUB_TOKEN));
    }

    private static String route(String tokenRef, String justification, String role) {
        return """
                {"path":"/github","upstream":"https://api.github.com","auth_scheme":"Bearer",
                 "token_ref":"%s","justification":"%s"%s}""".formatted(tokenRef, justification,
                role == null ? "" : ",\"role\":\"" + role + "\"");
    }

    @ParameterizedTest
    @MethodSource("smuggledArguments")
    void tokenInCredProxyBlockIsRefusedAndNotStored(String arguments) throws Exception {
        JsonNode response = fixture.callTool(session, "cred-proxy-block", arguments);

        assertThat(response.at("/error/code").asInt()).isEqualTo(-32602);
        String message = response.at("/error/message").asText();
        assertThat(message).contains("looks like a secret", "token_ref", "Nothing was stored");
        assertThat(message).doesNotContain(GITHUB_TOKEN).doesNotContain(AWS_KEY_ID);
        assertThat(fixture.queue().listPending()).isEmpty();
        String stored = fixture.allStoredText();
        assertThat(stored).doesNotContain(GITHUB_TOKEN.substring(4)).doesNotContain(AWS_KEY_ID);
    }

    @Test
    void refusalIsAuditedWithoutValue() throws Exception {
        fixture.callTool(session, "cred-proxy-block", route("GITHUB_TOKEN", "use " + GITHUB_TOKEN, null));

        JsonNode line = fixture.auditLines().get(0);
        assertThat(line.get("decision").asText()).isEqualTo("refused");
        assertThat(line.get("tool").asText()).isEqualTo("cred-proxy-block");
        assertThat(line.at("/input/justification").asText()).startsWith("[REDACTED:");
        assertThat(line.at("/input/token_ref").asText()).isEqualTo("GITHUB_TOKEN");
    }

    @Test
    void tokenInEgressUrlIsRefused() throws Exception {
        JsonNode response = fixture.callTool(session, "egress-block", """
                {"failed_url":"https://api.example.com/v1?key=%s","justification":"need it"}""".formatted(GITHUB_TOKEN));

        assertThat(response.at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(response.at("/error/message").asText()).contains("failed_url");
        assertThat(fixture.allStoredText()).doesNotContain(GITHUB_TOKEN);
    }

    @Test
    void cleanRouteIsQueued() throws Exception {
        fixture.close();
        fixture = new SuperviseFixture(state, "implementer", builder -> builder.decisionWait(Duration.ofMillis(100)));
        session = fixture.initialize("2025-06-18");

        JsonNode response = fixture.callTool(session, "cred-proxy-block", route("GITHUB_TOKEN", "open pull requests", "read-only"));

        assertThat(response.at("/result/content/0/text").asText()).startsWith("Pending");
        assertThat(fixture.queue().listPending().get(0).proposal().get("token_ref").asText()).isEqualTo("GITHUB_TOKEN");
    }
}
