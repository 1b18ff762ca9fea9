package dev.claudebottle.credproxy.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.credproxy.CredProxyException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class RouteTableTest {

    static Map<String, Object> route(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static Map<String, Object> validRoute(String path) {
        return route("path", path, "upstream", "https://api.example.test", "auth_scheme", "Bearer",
                "token_ref", "EXAMPLE_TOKEN");
    }

    /** Reads cred_proxy.routes from a manifest's YAML front matter, as the launcher does. */
    @SuppressWarnings("unchecked")
    static List<?> manifestRoutes(String resource) throws IOException {
        String text;
        try (InputStream in = RouteTableTest.class.getResourceAsStream(resource)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String frontMatter = text.split("(?m)^---$")[1];
        Map<String, Object> manifest = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(frontMatter);
        Map<String, Object> credProxy = (Map<String, Object>) manifest.get("cred_proxy");
        return (List<?>) credProxy.get("routes");
    }

    @Nested
    class OriginalManifest {

        @Test
        void loadsGiteaDevUnchanged() throws IOException {
            RouteTable table = RouteTable.parse(manifestRoutes("/manifests/gitea-dev.md"));

            assertThat(table.paths()).containsExactly("/anthropic/", "/gh-api/", "/gh-git/", "/npm/");
            Route anthropic = table.routes().get(0);
            assertThat(anthropic.upstream()).isEqualTo(URI.create("https://api.anthropic.com"));
            assertThat(anthropic.authScheme()).isEqualTo(AuthScheme.BEARER);
            assertThat(anthropic.tokenRef()).isEqualTo("CLAUDE_BOTTLE_OAUTH_TOKEN");
            assertThat(anthropic.roles()).containsExactly(RouteRole.ANTHROPIC_BASE_URL);
            assertThat(table.routes().get(1).roles()).isEmpty();
            assertThat(table.routes().get(2).roles()).containsExactly(RouteRole.GIT_INSTEADOF);
            assertThat(table.routes().get(3).roles()).containsExactly(RouteRole.NPM_REGISTRY);
        }
    }

    @Nested
    class Fields {

        @Test
        void roleAcceptsList() {
            Map<String, Object> map = validRoute("/gitea/");
            map.put("role", List.of("git-insteadof", "tea-login"));

            Route route = RouteTable.parse(List.of(map)).routes().get(0);

            assertThat(route.roles()).containsExactlyInAnyOrder(RouteRole.GIT_INSTEADOF, RouteRole.TEA_LOGIN);
        }

        @Test
        void pathGetsTrailingSlash() {
            Route route = RouteTable.parse(List.of(validRoute("/gh-api"))).routes().get(0);

            assertThat(route.path()).isEqualTo("/gh-api/");
        }

        @Test
        void authSchemeDefaultsToBearer() {
            Map<String, Object> map = validRoute("/a/");
            map.remove("auth_scheme");

            assertThat(RouteTable.parse(List.of(map)).routes().get(0).authScheme()).isEqualTo(AuthScheme.BEARER);
        }

        @Test
        void authSchemeHeaderForm() {
            Map<String, Object> map = validRoute("/a/");
            map.put("auth_scheme", "X-Api-Key");

            AuthScheme scheme = RouteTable.parse(List.of(map)).routes().get(0).authScheme();

            assertThat(scheme.kind()).isEqualTo(AuthScheme.Kind.HEADER);
            assertThat(scheme.headerName()).isEqualTo("x-api-key");
            assertThat(scheme.headerValue("sk-test")).isEqualTo("sk-test");
        }

        @Test
        void authSchemeValues() {
            assertThat(AuthScheme.BEARER.headerValue("abc")).isEqualTo("Bearer abc");
            assertThat(AuthScheme.TOKEN.headerValue("abc")).isEqualTo("token abc");
            assertThat(AuthScheme.BASIC.headerValue("user:pw")).isEqualTo("Basic dXNlcjpwdw==");
            assertThat(AuthScheme.BASIC.headerValue("dXNlcjpwdw==")).isEqualTo("Basic dXNlcjpwdw==");
        }

        @Test
        void upstreamBasePathKept() {
            Map<String, Object> map = validRoute("/ghe/");
            map.put("upstream", "https://ghe.example.test:8443/api/v3/");

            Route route = RouteTable.parse(List.of(map)).routes().get(0);

            assertThat(route.upstreamHost()).isEqualTo("ghe.example.test");
            assertThat(route.upstreamPort()).isEqualTo(8443);
            assertThat(route.upstreamBasePath()).isEqualTo("/api/v3");
            assertThat(route.upstreamAuthority()).isEqualTo("ghe.example.test:8443");
        }
    }

    @Nested
    class Rejections {

        private String problem(Map<String, Object> map) {
            return problems(List.of(map));
        }

        private String problems(List<?> routes) {
            try {
                RouteTable.parse(routes);
            } catch (CredProxyException e) {
                return e.getMessage();
            }
            throw new AssertionError("expected the routes to be rejected: " + routes);
        }

        @Test
        void unknownKeyGetsHint() {
            Map<String, Object> map = validRoute("/a/");
            map.put("tokenref", "X");

            assertThat(problem(map)).contains("cred_proxy.routes[0] (/a/)", "unknown key 'tokenref'",
                    "did you mean 'token_ref'?");
        }

        @Test
        void unknownRoleGetsHint() {
            Map<String, Object> map = validRoute("/a/");
            map.put("role", "npm-registy");

            assertThat(problem(map)).contains("unknown role 'npm-registy'", "did you mean 'npm-registry'?");
        }

        @Test
        void missingUpstream() {
            Map<String, Object> map = validRoute("/a/");
            map.remove("upstream");

            assertThat(problem(map)).contains("missing key 'upstream'");
        }

        @Test
        void plainHttpUpstream() {
            Map<String, Object> map = validRoute("/a/");
            map.put("upstream", "http://api.example.test");

            assertThat(problem(map)).contains("must use https");
        }

        @Test
        void upstreamWithUserInfoOrQuery() {
            Map<String, Object> withUser = validRoute("/a/");
            withUser.put("upstream", "https://user:pw@api.example.test");
            Map<String, Object> withQuery = validRoute("/b/");
            withQuery.put("upstream", "https://api.example.test/?x=1");

            assertThat(problem(withUser)).contains("must not carry a user name or password");
            assertThat(problem(withQuery)).contains("must not have a query");
        }

        @Test
        void upstreamIpv6Literal() {
            Map<String, Object> map = validRoute("/a/");
            map.put("upstream", "https://[::1]:8443");

            assertThat(problem(map)).contains("IPv6 literal");
        }

        @Test
        void upstreamBasePathWithDots() {
            Map<String, Object> map = validRoute("/a/");
            map.put("upstream", "https://api.example.test/v1/../admin");

            assertThat(problem(map)).contains("base path segment '..'");
        }

        @Test
        void pathWithoutLeadingSlash() {
            assertThat(problem(validRoute("gh-api/"))).contains("must start with '/'");
        }

        @Test
        void pathWithDotSegmentOrEncoding() {
            assertThat(problem(validRoute("/a/../b/"))).contains("segment '..'");
            assertThat(problem(validRoute("/a%2fb/"))).contains("segment 'a%2fb'");
            assertThat(problem(validRoute("/a//b/"))).contains("segment ''");
        }

        @Test
        void schemeTypoGetsHint() {
            Map<String, Object> map = validRoute("/a/");
            map.put("auth_scheme", "Baerer");

            assertThat(problem(map)).contains("did you mean 'Bearer'?");
        }

        @Test
        void schemeNamingManagedHeader() {
            Map<String, Object> map = validRoute("/a/");
            map.put("auth_scheme", "Host");

            assertThat(problem(map)).contains("names a header cred-proxy manages itself");
        }

        @Test
        void tokenRefThatLooksLikeToken() {
            Map<String, Object> map = validRoute("/a/");
            map.put("token_ref", "ghp_abc/def");

            assertThat(problem(map)).contains("token_ref", "never the token");
        }

        @Test
        void nonStringValue() {
            Map<String, Object> map = validRoute("/a/");
            map.put("path", 42);

            assertThat(problem(map)).contains("path must be a non-empty string", "a integer (42)");
        }

        @Test
        void elementNotAMap() {
            assertThat(problems(List.of("/a/"))).contains("cred_proxy.routes[0]: expected a map");
        }

        @Test
        void singleRouteRoleTwice() {
            Map<String, Object> first = validRoute("/a/");
            first.put("role", "anthropic-base-url");
            Map<String, Object> second = validRoute("/b/");
            second.put("role", List.of("anthropic-base-url"));

            assertThat(problems(List.of(first, second))).contains("cred_proxy.routes[1] (/b/)",
                    "role anthropic-base-url is already on cred_proxy.routes[0] (/a/)");
        }

        @Test
        void npmRegistryTwice() {
            Map<String, Object> first = validRoute("/a/");
            first.put("role", "npm-registry");
            Map<String, Object> second = validRoute("/b/");
            second.put("role", "npm-registry");

            assertThat(problems(List.of(first, second))).contains("at most one route may carry it");
        }

        @Test
        void gitInsteadOfSameOriginTwice() {
            Map<String, Object> first = validRoute("/a/");
            first.put("role", "git-insteadof");
            Map<String, Object> second = validRoute("/b/");
            second.put("role", "git-insteadof");

            assertThat(problems(List.of(first, second))).contains("git-insteadof for https://api.example.test");
        }

        @Test
        void duplicatePathAfterCanonicalForm() {
            assertThat(problems(List.of(validRoute("/a/"), validRoute("/a"))))
                    .contains("path /a/ is also used by cred_proxy.routes[0]");
        }

        @Test
        void listsEveryProblem() {
            Map<String, Object> first = validRoute("/a/");
            first.put("upstream", "ftp://x");
            Map<String, Object> second = validRoute("/b/");
            second.put("token_ref", "1BAD");

            String message = problems(List.of(first, second));

            assertThat(message).contains("2 problems", "cred_proxy.routes[0] (/a/)", "cred_proxy.routes[1] (/b/)");
        }

        @Test
        void allowsRoleTwiceWhenNotSingle() {
            Map<String, Object> first = validRoute("/a/");
            first.put("role", "tea-login");
            Map<String, Object> second = validRoute("/b/");
            second.put("role", "tea-login");

            assertThat(RouteTable.parse(List.of(first, second)).routes()).hasSize(2);
        }
    }

    @Nested
    class Matching {

        private final RouteTable table = RouteTable.parse(List.of(
                validRoute("/gh/"),
                route("path", "/gh/git/", "upstream", "https://git.example.test/base/", "token_ref", "T"),
                validRoute("/ghx/")));

        @Test
        void longestPrefixWins() {
            RouteMatch match = table.match("/gh/git/owner/repo.git/info/refs").orElseThrow();

            assertThat(match.route().path()).isEqualTo("/gh/git/");
            assertThat(match.upstreamPath()).isEqualTo("/base/owner/repo.git/info/refs");
        }

        @Test
        void matchesOnSegmentBoundary() {
            assertThat(table.match("/ghx/a").orElseThrow().route().path()).isEqualTo("/ghx/");
            assertThat(table.match("/gh/gitx").orElseThrow().route().path()).isEqualTo("/gh/");
            assertThat(table.match("/g")).isEmpty();
            assertThat(table.match("/ghy/a")).isEmpty();
        }

        @Test
        void pathWithoutTrailingSlash() {
            assertThat(table.match("/gh").orElseThrow().upstreamPath()).isEqualTo("/");
            assertThat(table.match("/gh/git").orElseThrow().upstreamPath()).isEqualTo("/base");
            assertThat(table.match("/gh/git/").orElseThrow().upstreamPath()).isEqualTo("/base/");
        }

        @Test
        void rootRouteCatchesRest() {
            RouteTable withRoot = RouteTable.parse(List.of(validRoute("/"), validRoute("/a/")));

            assertThat(withRoot.match("/b/c").orElseThrow().route().path()).isEqualTo("/");
            assertThat(withRoot.match("/b/c").orElseThrow().upstreamPath()).isEqualTo("/b/c");
            assertThat(withRoot.match("/a/c").orElseThrow().route().path()).isEqualTo("/a/");
        }

        @Test
        void emptyTableMatchesNothing() {
            assertThat(RouteTable.parse(null).match("/")).isEmpty();
            assertThat(RouteTable.empty().paths()).isEmpty();
        }

        @Test
        void ofChecksCrossRouteRules() {
            Route a = new Route("/a/", URI.create("https://x.test"), AuthScheme.BEARER, "T",
                    Set.of(RouteRole.NPM_REGISTRY));
            Route b = new Route("/b/", URI.create("https://y.test"), AuthScheme.BEARER, "T",
                    Set.of(RouteRole.NPM_REGISTRY));

            assertThatThrownBy(() -> RouteTable.of(List.of(a, b))).isInstanceOf(CredProxyException.class)
                    .hasMessageContaining("npm-registry");
        }
    }
}
