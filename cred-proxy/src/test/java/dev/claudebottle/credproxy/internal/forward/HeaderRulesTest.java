package dev.claudebottle.credproxy.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.credproxy.route.AuthScheme;
import dev.claudebottle.credproxy.route.Route;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeaderRulesTest {

    private static final String TOKEN = "ghp_HeaderRulesTest000000000000000000000";

    private final Route route = new Route("/api/", URI.create("https://api.example.test:8443/v3"), AuthScheme.BEARER,
            "T", Set.of());

    private static HttpRequest agentRequest(HttpMethod method) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, "/api/x");
    }

    @Test
    void requestKeepsOrdinaryFields() {
        HttpRequest inbound = agentRequest(HttpMethod.POST);
        inbound.headers().add("Content-Type", "application/json").add("Content-Length", "2")
                .add("anthropic-version", "2023-06-01");

        HttpRequest outbound = HeaderRules.upstreamRequest(inbound, route, "/v3/x", TOKEN);

        assertThat(outbound.uri()).isEqualTo("/v3/x");
        assertThat(outbound.method()).isEqualTo(HttpMethod.POST);
        assertThat(outbound.headers().get("content-type")).isEqualTo("application/json");
        assertThat(outbound.headers().get("content-length")).isEqualTo("2");
        assertThat(outbound.headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(outbound.headers().get("host")).isEqualTo("api.example.test:8443");
        assertThat(outbound.headers().getAll("authorization")).containsExactly("Bearer " + TOKEN);
    }

    @Test
    void requestDropsCredentialsAndHopByHop() {
        HttpRequest inbound = agentRequest(HttpMethod.GET);
        inbound.headers().add("AUTHORIZATION", "Bearer a").add("authorization", "Basic b")
                .add("Proxy-Authorization", "x").add("X-API-KEY", "k").add("Cookie", "c=1").add("Cookie2", "c")
                .add("Connection", "keep-alive, X-Private").add("X-Private", "p").add("Keep-Alive", "5")
                .add("TE", "trailers").add("Trailer", "x").add("Upgrade", "h2c").add("Proxy-Connection", "x")
                .add("Expect", "100-continue").add("Host", "cred-proxy:9099");

        HttpRequest outbound = HeaderRules.upstreamRequest(inbound, route, "/v3/x", TOKEN);

        assertThat(outbound.headers().names()).containsExactlyInAnyOrder("host", "authorization");
        assertThat(outbound.headers().getAll("authorization")).containsExactly("Bearer " + TOKEN);
    }

    @Test
    void connectionCannotRemoveContentLength() {
        HttpRequest inbound = agentRequest(HttpMethod.POST);
        inbound.headers().add("Content-Length", "3").add("Connection", "content-length, host");

        HttpRequest outbound = HeaderRules.upstreamRequest(inbound, route, "/v3/x", TOKEN);

        assertThat(outbound.headers().get("content-length")).isEqualTo("3");
    }

    @Test
    void chunkedRequestStaysChunked() {
        HttpRequest inbound = agentRequest(HttpMethod.POST);
        inbound.headers().add("Transfer-Encoding", "chunked");

        HttpRequest outbound = HeaderRules.upstreamRequest(inbound, route, "/v3/x", TOKEN);

        assertThat(outbound.headers().get("transfer-encoding")).isEqualTo("chunked");
    }

    @Test
    void headerSchemeReplacesAgentValue() {
        Route keyed = new Route("/k/", URI.create("https://api.example.test"), AuthScheme.header("X-Api-Key"), "T",
                Set.of());
        HttpRequest inbound = agentRequest(HttpMethod.GET);
        inbound.headers().add("x-api-key", "agent");

        HttpRequest outbound = HeaderRules.upstreamRequest(inbound, keyed, "/x", TOKEN);

        assertThat(outbound.headers().getAll("x-api-key")).containsExactly(TOKEN);
        assertThat(outbound.headers().contains("authorization")).isFalse();
        assertThat(outbound.headers().get("host")).isEqualTo("api.example.test");
    }

    @Test
    void responseDropsCookiesHopByHopAndSecrets() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().add("Content-Length", "5").add("Set-Cookie", "a=1").add("Connection", "X-Hop")
                .add("X-Hop", "1").add("Keep-Alive", "timeout=5").add("X-Echo", "Bearer " + TOKEN)
                .add("Content-Type", "text/plain");

        HeaderRules.prepareResponse(response, agentRequest(HttpMethod.GET), new SecretRedactor(List.of(TOKEN)), true);

        assertThat(response.headers().names()).containsExactlyInAnyOrder("Content-Length", "Content-Type");
    }

    @Test
    void closeDelimitedResponseBecomesChunked() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);

        HeaderRules.prepareResponse(response, agentRequest(HttpMethod.GET), new SecretRedactor(List.of()), true);

        assertThat(response.headers().get("transfer-encoding")).isEqualTo("chunked");
    }

    @Test
    void bodilessResponseStaysUnframed() {
        HttpResponse notModified = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);

        HeaderRules.prepareResponse(notModified, agentRequest(HttpMethod.GET), new SecretRedactor(List.of()), true);
        HeaderRules.prepareResponse(head, agentRequest(HttpMethod.HEAD), new SecretRedactor(List.of()), true);

        assertThat(notModified.headers().contains("transfer-encoding")).isFalse();
        assertThat(head.headers().contains("transfer-encoding")).isFalse();
    }

    @Test
    void closeRequestedByAgentIsSignalled() {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().add("Content-Length", "0");

        HeaderRules.prepareResponse(response, agentRequest(HttpMethod.GET), new SecretRedactor(List.of()), false);

        assertThat(response.headers().get("connection")).isEqualTo("close");
    }
}
