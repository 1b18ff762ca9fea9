package dev.claudebottle.egress.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.claudebottle.dlp.Finding;
import dev.claudebottle.dlp.StreamScan;
import dev.claudebottle.egress.EgressConfig;
import dev.claudebottle.egress.config.AllowRule;
import dev.claudebottle.egress.http.Inspector;
import dev.claudebottle.egress.policy.AddressGuard;
import dev.claudebottle.egress.policy.Allowlist;
import dev.claudebottle.egress.policy.HostNames;
import dev.claudebottle.egress.policy.IpLiterals;
import dev.claudebottle.egress.policy.Refusal;
import dev.claudebottle.egress.policy.Target;
import dev.claudebottle.egress.policy.TargetParser;

/**
 * {@code egress-proxy check}: runs the policy on a URL (and optionally a body) without sending
 * anything, and prints each step's outcome. Names not pinned in {@code resolve} are not looked
 * up, so the check itself makes no DNS query.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Evaluate the policy for a URL offline and print the decision.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the request would be allowed", "2:invalid usage or config",
            "3:the request would be refused"})
final class CheckCommand implements Callable<Integer> {

    static final int REFUSED = 3;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML config file.")
    Path config;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "URL the client would request, http:// or https://.")
    String url;

    @Option(names = "--body", paramLabel = "FILE", description = "Request body to scan with DLP.")
    Path body;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!url.regionMatches(true, 0, "http://", 0, 7) && !url.regionMatches(true, 0, "https://", 0, 8)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--url '" + url + "' is not an http:// or "
                    + "https:// URL; give the whole URL the client would request, such as https://" + url
                    .replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "") + "/");
        }
        if (body != null && !Files.isReadable(body)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--body " + body + " cannot be read"
                    + (Files.exists(body) ? "" : ": it does not exist") + "; give a file with the request body");
        }
        EgressConfig cfg = EgressConfig.load(config);

        // Step 1: the request target, as the proxy would see it.
        boolean https = url.regionMatches(true, 0, "https://", 0, 8);
        var parsed = TargetParser.parseAbsolute(https ? "http://" + url.substring(8) : url);
        if (parsed instanceof TargetParser.Parsed.Failed<TargetParser.AbsoluteUri> failed) {
            return refused(out, failed.refusal());
        }
        TargetParser.AbsoluteUri uri = ((TargetParser.Parsed.Ok<TargetParser.AbsoluteUri>) parsed).value();
        Target target = uri.target();
        if (https) {
            int port = url.matches("(?i)https://[^/?#]*:\\d+([/?#].*)?") ? target.port() : 443;
            target = new Target(target.host(), port, true);
        }
        out.println("target:    " + (https ? "CONNECT " : "GET ") + target.authority());

        // Step 2: the allowlist.
        Allowlist.Match match = new Allowlist(cfg.allowlist()).match(target.host(), target.port(),
                target.defaultPort());
        if (match instanceof Allowlist.Match.Refused refusedMatch) {
            return refused(out, refusedMatch.refusal());
        }
        AllowRule rule = ((Allowlist.Match.Allowed) match).rule();
        out.println("allowlist: allowed by entry " + rule.host()
                + (rule.allowPrivate() ? " (allow_private)" : ""));

        // Step 3: addresses, only when pinned (the check sends no DNS query).
        Optional<Refusal> addressRefusal = checkAddresses(out, cfg, target, rule);
        if (addressRefusal.isPresent()) {
            return refused(out, addressRefusal.get());
        }

        // Step 4: DLP on the URL and the body.
        Inspector inspector = Inspector.create(cfg.dlp(), cfg.credentials());
        Optional<Finding> inUrl = inspector.scanHead(target.host(), uri.originForm(), new DefaultHttpHeaders());
        if (inUrl.isPresent()) {
            return refused(out, Refusal.forbidden("dlp:" + inUrl.get().ruleId(), "the URL contains a secret: "
                    + Inspector.describe(inUrl.get())));
        }
        if (body != null) {
            Optional<Finding> inBody = scanBody(inspector, target.host());
            if (inBody.isPresent()) {
                return refused(out, Refusal.forbidden("dlp:" + inBody.get().ruleId(), "the body contains a "
                        + "secret: " + Inspector.describe(inBody.get())));
            }
        }
        out.println("dlp:       no secret found" + (cfg.dlp().enabled() ? "" : " (dlp disabled)"));
        out.println("decision:  ALLOWED");
        return 0;
    }

    private Optional<Refusal> checkAddresses(PrintWriter out, EgressConfig cfg, Target target, AllowRule rule) {
        List<InetAddress> addresses = new ArrayList<>();
        Optional<InetAddress> literal = IpLiterals.parse(target.host());
        if (literal.isPresent()) {
            addresses.add(literal.get());
        } else if (cfg.resolve().containsKey(HostNames.normalise(target.host()))) {
            addresses.addAll(cfg.resolve().get(target.host()));
        } else {
            out.println("addresses: not checked: " + target.host() + " is not pinned in resolve; at run "
                    + "time every resolved address must be public"
                    + (rule.allowPrivate() ? " (or private, since allow_private is set)" : ""));
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            Optional<String> reason = AddressGuard.nonPublicReason(address);
            if (reason.isPresent() && !rule.allowPrivate()) {
                return Optional.of(Refusal.forbidden("private_address", target.host() + " resolves to "
                        + IpLiterals.canonical(address) + ", which is " + reason.get()));
            }
        }
        out.println("addresses: " + addresses.stream().map(IpLiterals::canonical).toList() + " pass the SSRF guard");
        return Optional.empty();
    }

    private Optional<Finding> scanBody(Inspector inspector, String host) throws IOException {
        StreamScan scan = inspector.newStream();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(body)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                List<Finding> found = inspector.relevant(host, scan.feed(buffer, 0, n));
                if (!found.isEmpty()) {
                    return Optional.of(found.get(0));
                }
            }
        }
        return inspector.relevant(host, scan.finish()).stream().findFirst();
    }

    private static int refused(PrintWriter out, Refusal refusal) {
        out.println("decision:  REFUSED (" + refusal.status() + ")");
        out.println("rule:      " + refusal.rule());
        out.println("reason:    " + refusal.reason());
        return REFUSED;
    }
}
