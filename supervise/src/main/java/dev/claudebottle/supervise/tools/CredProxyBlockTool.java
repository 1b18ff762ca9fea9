package dev.claudebottle.supervise.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.internal.Json;
import dev.claudebottle.supervise.queue.Decision;
import dev.claudebottle.supervise.queue.PreparedRequest;
import dev.claudebottle.supervise.queue.QueuedRequest;

/**
 * {@code cred-proxy-block}: asks for a new cred-proxy route. The agent names the environment variable
 * that should hold the token; the token itself never passes through supervise.
 */
final class CredProxyBlockTool implements AccessRequestTool {

    static final String NAME = "cred-proxy-block";

    private static final String DESCRIPTION = """
            Ask the operator for a new credential route on cred-proxy. Use it when a task needs an \
            authenticated API that has no route yet (list-egress shows the routes), instead of \
            looking for a token or asking for one. Give the path prefix on cred-proxy, the upstream \
            base URL, the auth scheme and the NAME of the host environment variable that should \
            hold the token (token_ref, such as GITHUB_TOKEN). Never send a token value: any field \
            that looks like a secret makes the call fail and nothing is stored. If the answer is \
            "pending", call check-request with the request id later.""";

    private final ToolSchema schema = ToolSchema.load(NAME);

    ToolSchema schema() {
        return schema;
    }

    @Override
    public ToolDefinition definition() {
        return new ToolDefinition(NAME, "Request a credential route", DESCRIPTION, schema.tree(), false);
    }

    @Override
    public PreparedRequest prepare(ObjectNode arguments) {
        String upstream = Json.text(arguments, "upstream").strip();
        HttpTarget target = HttpTarget.parse("upstream", upstream);
        String path = Json.text(arguments, "path");
        if (path.contains("/../") || path.contains("/./") || path.endsWith("/..") || path.endsWith("/.")) {
            throw new ToolInputException("path must not contain . or .. segments; send a plain prefix "
                    + "such as /github");
        }

        ObjectNode input = Json.object();
        input.put("path", path);
        input.put("upstream", upstream);
        input.put("auth_scheme", Json.text(arguments, "auth_scheme"));
        input.put("token_ref", Json.text(arguments, "token_ref"));
        String role = Json.text(arguments, "role");
        if (role != null) {
            input.put("role", role);
        }
        input.put("justification", Json.text(arguments, "justification").strip());

        ObjectNode proposal = input.deepCopy();
        proposal.remove("justification");
        proposal.put("kind", "credential-route");
        proposal.put("upstream_host", target.host());
        proposal.put("upstream_port", target.port());
        return new PreparedRequest(input, proposal,
                "route " + path + " to " + upstream + " with token from $" + input.get("token_ref").asText());
    }

    @Override
    public String approvedText(QueuedRequest request, Decision decision) {
        ObjectNode proposal = decision.effectiveProposal(request);
        String path = proposal.get("path").asText();
        return "Approved by the operator" + SuperviseTools.noteSuffix(decision) + ". The route " + path
                + " (http://cred-proxy:9099" + path + ") goes live in this bottle at once when the operator's "
                + "shell holds $" + proposal.get("token_ref").asText() + "; otherwise it starts working after the "
                + "operator resumes this bottle. Call list-egress to see whether it is live: until then "
                + "cred-proxy answers 404 for it.";
    }
}
