package dev.claudebottle.credproxy;

import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.credproxy.route.RouteTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs cred-proxy on its own, outside bundle-init. Routes come from a YAML or JSON file with a
 * top-level {@code routes} list (the keys of {@code cred_proxy.routes}); each token comes from
 * the environment variable its {@code token_ref} names. Request log lines go to standard output.
 */
@Command(name = "cred-proxy", mixinStandardHelpOptions = true,
        description = "Credential-injecting reverse proxy: strips the caller's credentials, injects each"
                + " route's token and forwards over HTTPS through an egress proxy.")
public final class CredProxyMain implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--routes", required = true, paramLabel = "FILE",
            description = "YAML or JSON file with a top-level 'routes' list.")
    private Path routesFile;

    @Option(names = "--listen", defaultValue = "127.0.0.1:9099", paramLabel = "HOST:PORT",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    private String listen;

    @Option(names = "--egress-proxy", paramLabel = "HOST:PORT",
            description = "egress-proxy address for HTTP CONNECT; without it upstreams are reached directly.")
    private String egressProxy;

    @Option(names = "--trust-ca", paramLabel = "PEM", description = "CA certificate file trusted for upstream TLS,"
            + " such as the bottle's CA; without it the JDK's trust store is used.")
    private Path trustCa;

    @Option(names = "--idle-timeout", defaultValue = "300", paramLabel = "SECONDS",
            description = "Seconds without upstream data before a request fails (default: ${DEFAULT-VALUE}).")
    private long idleTimeoutSeconds;

    @Option(names = "--connect-timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "Seconds allowed for each of TCP connect, CONNECT and TLS handshake (default: ${DEFAULT-VALUE}).")
    private long connectTimeoutSeconds;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Parses {@code args} and runs until the JVM is stopped; returns the exit code on failure. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine command = new CommandLine(new CredProxyMain());
        command.setOut(out);
        command.setErr(err);
        command.setExecutionExceptionHandler((exception, line, parsed) -> {
            if (exception instanceof CredProxyException) {
                line.getErr().println("cred-proxy: " + exception.getMessage());
                return 1;
            }
            throw exception;
        });
        return command.execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        RouteTable routes = readRoutes(routesFile);
        CredProxyConfig.Builder config = CredProxyConfig.builder()
                .listen(hostPort(listen, "--listen"))
                .routes(routes)
                .idleTimeout(Duration.ofSeconds(idleTimeoutSeconds))
                .connectTimeout(Duration.ofSeconds(connectTimeoutSeconds))
                .requestLog(System.out::println);
        if (egressProxy != null) {
            config.egressProxy(hostPort(egressProxy, "--egress-proxy"));
        }
        if (trustCa != null) {
            config.trust(readCertificate(trustCa));
        }
        TokenSource tokens = TokenSource.fromEnvironment();
        for (Route route : routes.routes()) {
            if (tokens.token(route.tokenRef()).isEmpty()) {
                System.err.println("cred-proxy: environment variable " + route.tokenRef() + " is not set; requests"
                        + " to route " + route.path() + " will get 502 until it is");
            }
        }

        CredProxy proxy = CredProxy.start(config.build(), tokens);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            stopped.countDown();
        }, "cred-proxy-shutdown"));
        System.err.println("cred-proxy: listening on " + proxy.address() + " with routes " + routes.paths());
        stopped.await();
        return 0;
    }

    /** Reads the {@code routes} list from a YAML or JSON file (JSON is a subset of YAML 1.2). */
    static RouteTable readRoutes(Path file) {
        Object document;
        try (InputStream in = Files.newInputStream(file)) {
            document = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromInputStream(in);
        } catch (IOException e) {
            throw new CredProxyException("cannot read routes file " + file + ": " + e.getMessage(), e);
        } catch (YamlEngineException e) {
            throw new CredProxyException("routes file " + file + " is not valid YAML or JSON: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> map) || !(map.get("routes") instanceof List<?> list)) {
            throw new CredProxyException("routes file " + file + " must contain a top-level 'routes' list, such as"
                    + " routes: [{path: /gh-api/, upstream: https://api.github.com, token_ref: GH_PAT}]");
        }
        if (map.size() > 1) {
            throw new CredProxyException("routes file " + file + " has keys other than 'routes': " + map.keySet());
        }
        return RouteTable.parse(list);
    }

    static InetSocketAddress hostPort(String value, String option) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new CredProxyException(option + " '" + value + "' must be HOST:PORT, such as 127.0.0.1:9099");
        }
        try {
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new InetSocketAddress(host, Integer.parseInt(value.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new CredProxyException(option + " '" + value + "' has an invalid port; use 0 to 65535", e);
        }
    }

    private static X509Certificate readCertificate(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException e) {
            throw new CredProxyException("cannot read CA certificate " + file + ": " + e.getMessage()
                    + "; pass a PEM file with --trust-ca", e);
        }
    }
}
