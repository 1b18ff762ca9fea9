package dev.claudebottle.credproxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RequestPathTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "/gh-api/../anthropic/v1/messages",
        "/gh-api/./x",
        "/gh-api/x/..",
        "/gh-api/%2e%2e/anthropic/",
        "/gh-api/%2E%2E/anthropic/",
        "/gh-api/.%2e/anthropic/",
        "/gh-api/..%2fanthropic/",
        "/gh-api/x%2f..%2f..%2fy",
        "/gh-api/x%2F%2Fy",
        "/gh-api/..;/anthropic/",
        "/gh-api/..;jsessionid=1/x",
        "/gh-api//anthropic/",
        "//anthropic/v1",
        "/gh-api\\..\\anthropic",
        "/gh-api/%5c..%5canthropic",
        "/gh-api/%252e%252e/anthropic",
        "/gh-api/%00",
        "/gh-api/%zz",
        "/gh-api/%2",
        "/gh-api/a b",
        "/gh-api/\u00e9",
        "/gh-api/a#frag",
        "http://api.example.test/x",
        "*",
        ""
    })
    void rejectsAmbiguousTarget(String target) {
        assertThat(RequestPath.parse(target)).as(target).isEmpty();
        assertThat(RequestPath.problem(target)).as(target).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/",
        "/gh-api",
        "/gh-api/",
        "/gh-api/repos/o/r/issues?state=open&per_page=100",
        "/npm/@babel%2fcore",
        "/npm/@types%2Fnode/-/node-1.0.0.tgz",
        "/gh-api/file.name/..x/x..",
        "/gh-api/a%20b",
        "/gh-api/search?q=a/../b"
    })
    void acceptsOrdinaryTarget(String target) {
        assertThat(RequestPath.parse(target)).as(target).isPresent();
    }

    @Test
    void splitsQuery() {
        RequestPath path = RequestPath.parse("/a/b?x=1&y=%2F..").orElseThrow();

        assertThat(path.path()).isEqualTo("/a/b");
        assertThat(path.query()).isEqualTo("x=1&y=%2F..");
    }

    @Test
    void noQuery() {
        assertThat(RequestPath.parse("/a").orElseThrow().query()).isNull();
    }
}
