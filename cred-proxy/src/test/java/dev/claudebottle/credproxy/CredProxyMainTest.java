package dev.claudebottle.credproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.credproxy.route.RouteTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredProxyMainTest {

    @TempDir
    Path directory;

    @Test
    void readsYamlRoutes() throws IOException {
        Path file = Files.writeString(directory.resolve("routes.yaml"), """
                routes:
                  - path: /gh-api/
                    upstream: https://api.github.com
                    auth_scheme: Bearer
                    token_ref: GH_PAT
                """);

        RouteTable routes = CredProxyMain.readRoutes(file);

        assertThat(routes.paths()).containsExactly("/gh-api/");
    }

    @Test
    void readsJsonRoutes() throws IOException {
        Path file = Files.writeString(directory.resolve("routes.json"),
                "{\"routes\": [{\"path\": \"/npm/\", \"upstream\": \"https://registry.example.test\","
                        + " \"token_ref\": \"NPM_TOKEN\", \"role\": [\"npm-registry\"]}]}");

        assertThat(CredProxyMain.readRoutes(file).paths()).containsExactly("/npm/");
    }

    @Test
    void rejectsFileWithoutRoutes() throws IOException {
        Path file = Files.writeString(directory.resolve("routes.yaml"), "route: []\n");

        assertThatThrownBy(() -> CredProxyMain.readRoutes(file)).isInstanceOf(CredProxyException.class)
                .hasMessageContaining("must contain a top-level 'routes' list");
    }

    @Test
    void rejectsBadHostPort() {
        assertThatThrownBy(() -> CredProxyMain.hostPort("cred-proxy", "--listen"))
                .hasMessageContaining("--listen 'cred-proxy' must be HOST:PORT");
        assertThatThrownBy(() -> CredProxyMain.hostPort("127.0.0.1:99999", "--listen"))
                .hasMessageContaining("invalid port");
    }

    @Test
    void missingOptionIsUsageError() {
        StringWriter err = new StringWriter();

        int exit = CredProxyMain.run(new String[0], new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--routes");
    }

    @Test
    void invalidRoutesExitOne() throws IOException {
        Path file = Files.writeString(directory.resolve("routes.yaml"), """
                routes:
                  - path: /a/
                    upstream: http://plain.example.test
                    token_ref: T
                """);
        StringWriter err = new StringWriter();

        int exit = CredProxyMain.run(new String[] {"--routes", file.toString()}, new PrintWriter(new StringWriter()),
                new PrintWriter(err));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("cred-proxy: invalid cred_proxy route", "must use https");
    }
}
