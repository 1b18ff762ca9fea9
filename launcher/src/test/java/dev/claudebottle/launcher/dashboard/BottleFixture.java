package dev.claudebottle.launcher.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.SecretCheck;
import dev.claudebottle.supervise.audit.AuditLog;
import dev.claudebottle.supervise.queue.QueuedRequest;
import dev.claudebottle.supervise.queue.RequestQueue;
import dev.claudebottle.supervise.queue.RequestValidator;
import dev.claudebottle.supervise.tools.SuperviseTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Bottle state folders under a temporary state root, with requests queued the way supervise queues
 * them: validated by supervise's own tool rules and written by its {@link RequestQueue}.
 */
final class BottleFixture {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final RequestValidator VALIDATOR = SuperviseTools.validator(SecretCheck.builtIn());

    /** A bundle config as the launcher renders it for a bottle with one route. */
    static final String BUNDLE_YAML = """
            # Rendered by claude-bottle for bottle %s; do not edit.
            bottle: %s
            run_dir: /run/claude-bottle
            secrets_dir: /run/claude-bottle/secrets
            state_dir: /state
            secrets_timeout_seconds: 30
            egress:
              listen: 0.0.0.0:8888
              allowlist:
              - host: api.anthropic.com
              - host: api.github.com
              audit_log: /state/audit/egress.jsonl
              dlp:
                action: block
            cred_proxy:
              listen: 0.0.0.0:9099
              routes:
              - path: /gh-api/
                upstream: https://api.github.com
                auth_scheme: Bearer
                token_ref: GH_PAT
            dns:
              listen: 0.0.0.0:53
              names:
              - egress
            """;

    final Path stateRoot;
    private Instant now = Instant.parse("2026-12-04T20:00:00Z");

    BottleFixture(Path stateRoot) {
        this.stateRoot = stateRoot;
    }

    BottleState bottle(String identity) {
        BottleState bottle = new BottleState(identity, stateRoot.resolve(identity));
        createDirectories(bottle.queueDirectory());
        createDirectories(bottle.auditLog().getParent());
        return bottle;
    }

    /** Writes the bundle config of a started bottle. */
    static void writeBundleConfig(BottleState bottle) {
        try {
            Files.writeString(bottle.bundleConfig(), BUNDLE_YAML.formatted(bottle.identity(), bottle.identity()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Queues a request as supervise does, one second after the previous one. */
    QueuedRequest submit(BottleState bottle, String tool, String inputJson) {
        now = now.plusSeconds(1);
        RequestQueue queue = queue(bottle, Clock.fixed(now, ZoneOffset.UTC));
        return queue.submit(bottle.identity(), tool, VALIDATOR.validate(tool, object(inputJson)));
    }

    QueuedRequest egress(BottleState bottle, String url) {
        return submit(bottle, "egress-block", "{\"failed_url\": \"" + url + "\", \"justification\": \"docs\"}");
    }

    static RequestQueue queue(BottleState bottle) {
        return queue(bottle, Clock.systemUTC());
    }

    private static RequestQueue queue(BottleState bottle, Clock clock) {
        return new RequestQueue(bottle.queueDirectory(), new AuditLog(bottle.auditLog()), VALIDATOR, clock,
                RequestQueue.DEFAULT_MAX_PENDING);
    }

    static ObjectNode object(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
