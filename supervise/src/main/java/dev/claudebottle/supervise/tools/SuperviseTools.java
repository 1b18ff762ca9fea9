package dev.claudebottle.supervise.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.EgressSnapshot;
import dev.claudebottle.supervise.SecretCheck;
import dev.claudebottle.supervise.audit.AuditEntry;
import dev.claudebottle.supervise.audit.AuditEvent;
import dev.claudebottle.supervise.audit.AuditLog;
import dev.claudebottle.supervise.internal.Json;
import dev.claudebottle.supervise.queue.Decision;
import dev.claudebottle.supervise.queue.DecisionWatcher;
import dev.claudebottle.supervise.queue.PreparedRequest;
import dev.claudebottle.supervise.queue.QueueException;
import dev.claudebottle.supervise.queue.QueuedRequest;
import dev.claudebottle.supervise.queue.RequestQueue;
import dev.claudebottle.supervise.queue.RequestValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The tools supervise offers and the order in which a call runs: secret and control-character
 * checks, JSON Schema, the tool's own checks, queue, then a bounded wait for the operator's decision.
 *
 * <p>{@link #call} does file I/O, so callers run it off the event loop. The wait itself blocks no
 * thread: it is a {@link DecisionWatcher} future.
 */
public final class SuperviseTools {

    static final String LIST_EGRESS = "list-egress";
    static final String CHECK_REQUEST = "check-request";

    private static final Logger log = LoggerFactory.getLogger(SuperviseTools.class);

    private static final String LIST_EGRESS_DESCRIPTION = """
            Show this bottle's current egress allowlist, its cred-proxy routes (token names only) and \
            the requests still waiting for the operator. Read-only. Use it before egress-block or \
            cred-proxy-block to check whether access already exists, and after an approval to see \
            whether the change is live.""";

    private static final String CHECK_REQUEST_DESCRIPTION = """
            Get the operator's decision on an earlier egress-block, cred-proxy-block or \
            capability-block request, by the request id that call returned. Use it when such a call \
            answered "pending". While the request is \
            pending this call waits for the decision for a while, then answers "pending" again; \
            call it again later, and meanwhile continue with work that does not need the access.""";

    /** Services of the running server that the tools use. */
    public record Context(
            String bottle,
            RequestQueue queue,
            DecisionWatcher watcher,
            Duration decisionWait,
            Supplier<EgressSnapshot> egress,
            SecretCheck secretCheck,
            AuditLog audit,
            Clock clock) {
    }

    private final Context context;
    private final Map<String, AccessRequestTool> accessTools;
    private final Map<String, ToolSchema> schemas = new LinkedHashMap<>();
    private final List<ToolDefinition> definitions = new ArrayList<>();
    private final SecretRefusal secrets;

    public SuperviseTools(Context context) {
        this.context = context;
        this.secrets = new SecretRefusal(context.secretCheck());

        EgressBlockTool egressBlock = new EgressBlockTool();
        CredProxyBlockTool credProxyBlock = new CredProxyBlockTool();
        CapabilityBlockTool capabilityBlock = new CapabilityBlockTool();
        this.accessTools = accessTools(egressBlock, credProxyBlock, capabilityBlock);

        ToolSchema listEgress = ToolSchema.load(LIST_EGRESS);
        ToolSchema checkRequest = ToolSchema.load(CHECK_REQUEST);
        definitions.add(egressBlock.definition());
        definitions.add(egressBlock.aliasDefinition());
        definitions.add(credProxyBlock.definition());
        definitions.add(capabilityBlock.definition());
        definitions.add(new ToolDefinition(LIST_EGRESS, "List allowed egress and routes",
                LIST_EGRESS_DESCRIPTION, listEgress.tree(), true));
        definitions.add(new ToolDefinition(CHECK_REQUEST, "Check an earlier request",
                CHECK_REQUEST_DESCRIPTION, checkRequest.tree(), true));

        schemas.put(EgressBlockTool.NAME, egressBlock.schema());
        schemas.put(EgressBlockTool.ALIAS, egressBlock.schema());
        schemas.put(CredProxyBlockTool.NAME, credProxyBlock.schema());
        schemas.put(CapabilityBlockTool.NAME, capabilityBlock.schema());
        schemas.put(LIST_EGRESS, listEgress);
        schemas.put(CHECK_REQUEST, checkRequest);
    }

    private static Map<String, AccessRequestTool> accessTools(EgressBlockTool egressBlock,
            CredProxyBlockTool credProxyBlock, CapabilityBlockTool capabilityBlock) {
        Map<String, AccessRequestTool> tools = new LinkedHashMap<>();
        tools.put(EgressBlockTool.NAME, egressBlock);
        tools.put(EgressBlockTool.ALIAS, egressBlock);
        tools.put(CredProxyBlockTool.NAME, credProxyBlock);
        tools.put(CapabilityBlockTool.NAME, capabilityBlock);
        return tools;
    }

    /**
     * Returns a validator for inputs the operator modified, with the same checks as a tool call;
     * the dashboard passes it to {@link RequestQueue}.
     */
    public static RequestValidator validator(SecretCheck secretCheck) {
        SecretRefusal secrets = new SecretRefusal(secretCheck);
        Map<String, AccessRequestTool> tools =
                accessTools(new EgressBlockTool(), new CredProxyBlockTool(), new CapabilityBlockTool());
        return (tool, input) -> {
            AccessRequestTool accessTool = tools.get(tool);
            if (accessTool == null) {
                throw new ToolInputException("unknown tool " + tool + "; expected one of " + tools.keySet());
            }
            Optional<SecretRefusal.Finding> finding = secrets.scan(input);
            if (finding.isPresent()) {
                throw new ToolInputException(secretMessage(finding.get()));
            }
            ControlCharacters.reject(input);
            schemaOf(accessTool).validate(input);
            return accessTool.prepare(input);
        };
    }

    private static ToolSchema schemaOf(AccessRequestTool tool) {
        if (tool instanceof EgressBlockTool egress) {
            return egress.schema();
        }
        if (tool instanceof CredProxyBlockTool credProxy) {
            return credProxy.schema();
        }
        return ((CapabilityBlockTool) tool).schema();
    }

    /** Returns the tools in the order {@code tools/list} lists them. */
    public List<ToolDefinition> definitions() {
        return List.copyOf(definitions);
    }

    /**
     * Runs tool {@code name}.
     *
     * @throws ToolInputException for an unknown tool or invalid arguments; nothing was queued then
     * @throws QueueException when the queue directory cannot be written
     */
    public CompletableFuture<ToolResult> call(String name, JsonNode arguments) {
        ToolSchema schema = schemas.get(name);
        if (schema == null) {
            throw new ToolInputException("unknown tool '" + name + "'; the tools are "
                    + String.join(", ", schemas.keySet()) + " (see tools/list)");
        }
        ObjectNode args = arguments == null || arguments.isNull() ? Json.object() : requireObject(arguments);

        AccessRequestTool accessTool = accessTools.get(name);
        if (accessTool != null) {
            return requestAccess(name, accessTool, schema, args);
        }
        refuseSecrets(name, args);
        ControlCharacters.reject(args);
        schema.validate(args);
        return switch (name) {
            case LIST_EGRESS -> CompletableFuture.completedFuture(listEgress());
            case CHECK_REQUEST -> checkRequest(Json.text(args, "request_id"));
            default -> throw new AssertionError("tool " + name + " has a schema but no handler");
        };
    }

    private static ObjectNode requireObject(JsonNode arguments) {
        if (arguments instanceof ObjectNode object) {
            return object;
        }
        throw new ToolInputException("arguments must be a JSON object whose fields match the tool's "
                + "inputSchema, not " + arguments.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }

    private CompletableFuture<ToolResult> requestAccess(String calledName, AccessRequestTool tool,
            ToolSchema schema, ObjectNode args) {
        String canonical = tool.definition().name();
        refuseSecrets(canonical, args);
        ControlCharacters.reject(args);
        schema.validate(args);
        PreparedRequest prepared = tool.prepare(args);

        String moot = tool.alreadySatisfied(prepared, currentEgress());
        if (moot != null) {
            return CompletableFuture.completedFuture(ToolResult.error(moot));
        }
        Optional<QueuedRequest> duplicate = context.queue().listPending().stream()
                .filter(pending -> pending.tool().equals(canonical) && pending.proposal().equals(prepared.proposal()))
                .findFirst();
        if (duplicate.isPresent()) {
            // An agent that retries must not fill the operator's list with copies of one request.
            log.debug("tool {} matches pending request {}; waiting on it", calledName, duplicate.get().id());
            return awaitDecision(tool, duplicate.get());
        }
        QueuedRequest request;
        try {
            request = context.queue().submit(context.bottle(), canonical, prepared);
        } catch (QueueException e) {
            if (e.reason() == QueueException.Reason.QUEUE_FULL) {
                return CompletableFuture.completedFuture(ToolResult.error(e.getMessage()));
            }
            throw e;
        }
        log.debug("tool {} queued request {}", calledName, request.id());
        return awaitDecision(tool, request);
    }

    private void refuseSecrets(String tool, ObjectNode args) {
        Optional<SecretRefusal.Finding> finding = secrets.scan(args);
        if (finding.isEmpty()) {
            return;
        }
        context.audit().append(new AuditEntry(context.clock().instant(), context.bottle(), tool, null,
                AuditEvent.REFUSED, finding.get().redacted(), "input looked like a secret in "
                + finding.get().fields() + " (rules " + finding.get().rules() + ")", null, null));
        log.info("rejected a {} call of bottle {}: secret-looking value in {} (rules {})", tool,
                context.bottle(), finding.get().fields(), finding.get().rules());
        throw new ToolInputException(secretMessage(finding.get()));
    }

    private static String secretMessage(SecretRefusal.Finding finding) {
        return "rejected: " + String.join(", ", finding.fields()) + " looks like a secret (rule "
                + String.join(", ", finding.rules()) + "). Never send token values, passwords or keys "
                + "to supervise: for cred-proxy-block, put the NAME of the host environment variable "
                + "in token_ref (such as GITHUB_TOKEN) and the operator sets its value. Nothing was "
                + "stored; call again without the secret.";
    }

    /**
     * Returns the bundle's current egress configuration, or an empty one when the provider fails, so
     * that a broken provider cannot stop the agent from asking.
     */
    private EgressSnapshot currentEgress() {
        try {
            return context.egress().get();
        } catch (RuntimeException e) {
            log.warn("bottle {}: the egress snapshot provider failed; treating the allowlist as empty",
                    context.bottle(), e);
            return EgressSnapshot.empty();
        }
    }

    private ToolResult listEgress() {
        EgressSnapshot snapshot;
        try {
            snapshot = context.egress().get();
        } catch (RuntimeException e) {
            log.warn("bottle {}: the egress snapshot provider failed during list-egress", context.bottle(), e);
            return ToolResult.error("The current allowlist is not available right now; try again in a "
                    + "minute. Requests with egress-block still work.");
        }
        ObjectNode view = Json.object();
        snapshot.allowedHosts().forEach(view.putArray("allowed_hosts")::add);
        var routes = view.putArray("routes");
        for (EgressSnapshot.CredentialRoute route : snapshot.routes()) {
            ObjectNode node = routes.addObject();
            node.put("path", route.path());
            node.put("url", "http://cred-proxy:9099" + route.path());
            node.put("upstream", route.upstream());
            node.put("auth_scheme", route.authScheme());
            node.put("token_ref", route.tokenRef());
            if (route.role() != null) {
                node.put("role", route.role());
            }
        }
        var pending = view.putArray("pending_requests");
        for (QueuedRequest request : context.queue().listPending()) {
            pending.addObject().put("request_id", request.id()).put("tool", request.tool())
                    .put("summary", request.summary());
        }
        return ToolResult.ok(Json.writePretty(view));
    }

    private CompletableFuture<ToolResult> checkRequest(String id) {
        Optional<QueuedRequest> request = context.queue().find(id);
        if (request.isEmpty()) {
            return CompletableFuture.completedFuture(ToolResult.error("no request with id " + id
                    + " in this bottle's queue; use the id that egress-block, cred-proxy-block or "
                    + "capability-block returned, or call list-egress to see pending requests"));
        }
        AccessRequestTool tool = accessTools.get(request.get().tool());
        if (tool == null) {
            throw new QueueException(QueueException.Reason.IO, "request " + id + " names unknown tool "
                    + request.get().tool());
        }
        return awaitDecision(tool, request.get());
    }

    private CompletableFuture<ToolResult> awaitDecision(AccessRequestTool tool, QueuedRequest request) {
        return context.watcher().await(request.id(), context.decisionWait())
                .thenApply(decision -> decision
                        .map(d -> describe(tool, request, d))
                        .orElseGet(() -> pending(request)));
    }

    private static ToolResult describe(AccessRequestTool tool, QueuedRequest request, Decision decision) {
        if (decision.approved()) {
            return ToolResult.ok(tool.approvedText(request, decision));
        }
        return ToolResult.error("Rejected by the operator: " + decision.note() + ". Do not try to get "
                + "this access another way; continue without it, or tell the user what is blocked.");
    }

    private static ToolResult pending(QueuedRequest request) {
        return ToolResult.ok("Pending: request id " + request.id() + " (" + request.summary() + ") is "
                + "waiting for the operator. Call check-request with request_id \"" + request.id()
                + "\" to get the decision; meanwhile continue with work that does not need it.");
    }

    static String noteSuffix(Decision decision) {
        return decision.note() == null || decision.note().isBlank() ? "" : " (note: " + decision.note() + ")";
    }
}
