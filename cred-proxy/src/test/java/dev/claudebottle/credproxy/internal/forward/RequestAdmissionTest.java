package dev.claudebottle.credproxy.internal.forward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudebottle.credproxy.TokenSource;
import dev.claudebottle.credproxy.route.RequestPath;
import dev.claudebottle.credproxy.route.RouteTable;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RequestAdmissionTest {

    private static final String TOKEN = "dXNlcjpwYXNzd29yZA-made-up";

    private final RouteTable routes = RouteTable.parse(List.of(Map.of("path", "/git/", "upstream",
            "https://git.example.test", "auth_scheme", "Basic", "token_ref", "GIT_TOKEN")));
    private final TokenSource tokens = TokenSource.of(Map.of("GIT_TOKEN", "user:" + TOKEN));

    private RequestAdmission.Decision decide(HttpMethod method, String uri) {
        return RequestAdmission.decide(new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri), routes, tokens);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/git/o/r.git/git-receive-pack",
        "/git/o/r.git/GIT-RECEIVE-PACK",
        "/git/o/r.git/git%2Dreceive-pack",
        "/git/o/r.git/info/refs?service=git-receive-pack",
        "/git/o/r.git/info/refs?x=1&SERVICE=Git-Receive-Pack",
        "/git/o/r.git/info/refs?service=git%2Dreceive%2Dpack"
    })
    void gitPushRejected(String target) {
        RequestAdmission.Decision decision = decide(HttpMethod.POST, target);

        assertThat(decision).isInstanceOf(RequestAdmission.Rejected.class);
        assertThat(((RequestAdmission.Rejected) decision).status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/git/o/r.git/git-upload-pack",
        "/git/o/r.git/info/refs?service=git-upload-pack",
        "/git/o/git-receive-pack-notes/readme"
    })
    void gitFetchAdmitted(String target) {
        assertThat(decide(HttpMethod.GET, target)).isInstanceOf(RequestAdmission.Admitted.class);
    }

    @Test
    void connectRejected() {
        RequestAdmission.Decision decision = decide(HttpMethod.CONNECT, "git.example.test:443");

        assertThat(((RequestAdmission.Rejected) decision).status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
    }

    @Test
    void admittedCarriesBothSecretForms() {
        RequestAdmission.Admitted admitted = (RequestAdmission.Admitted) decide(HttpMethod.GET, "/git/o/r.git/x?a=1");

        assertThat(admitted.upstreamRequest().uri()).isEqualTo("/o/r.git/x?a=1");
        assertThat(admitted.secrets()).hasSize(2).contains("user:" + TOKEN);
        assertThat(admitted.upstreamRequest().headers().get("authorization"))
                .isEqualTo("Basic " + admitted.secrets().get(1));
    }

    @Test
    void rejectionMessagesCarryNoToken() {
        RequestAdmission.Decision notFound = decide(HttpMethod.GET, "/elsewhere");
        RequestAdmission.Decision push = decide(HttpMethod.POST, "/git/o/r.git/git-receive-pack");

        assertThat(((RequestAdmission.Rejected) notFound).message()).contains("/git/").doesNotContain(TOKEN);
        assertThat(((RequestAdmission.Rejected) push).message()).contains("git-gate").doesNotContain(TOKEN);
    }

    @Test
    void queryKeysWithoutValues() {
        assertThat(RequestAdmission.queryKeys("q=secret&page=2&flag")).containsExactly("q", "page", "flag");
        assertThat(RequestAdmission.queryKeys(null)).isEmpty();
    }

    @Test
    void pushDetectionOnPathRecord() {
        assertThat(RequestAdmission.isGitPush(new RequestPath("/a/git-receive-pack", null))).isTrue();
        assertThat(RequestAdmission.isGitPush(new RequestPath("/a/info/refs", "service=git-upload-pack"))).isFalse();
    }
}
