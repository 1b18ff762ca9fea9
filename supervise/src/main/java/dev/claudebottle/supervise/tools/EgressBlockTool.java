package dev.claudebottle.supervise.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.EgressSnapshot;
import dev.claudebottle.supervise.internal.Json;
import dev.claudebottle.supervise.queue.Decision;
import dev.claudebottle.supervise.queue.PreparedRequest;
import dev.claudebottle.supervise.queue.QueuedRequest;

/** {@code egress-block}: asks for a host to join the bottle's egress allowlist. */
final class EgressBlockTool implements AccessRequestTool {

    static final String NAME = "egress-block";
    static final String ALIAS = "pipelock-block";

    private static final String DESCRIPTION = """
            Ask the operator to allow a host that the egress proxy blocked. Use it when an HTTP or \
            HTTPS request fails with a 403 from the egress proxy saying the host is not on the \
            allowlist (or the proxy refuses the CONNECT). Do not try to reach the host another way. \
            Call list-egress first to see what is already allowed. Send the full URL that failed and \
            a short justification. The call waits for the operator for a while; if the answer is \
            "pending", call check-request with the request id later. On approval, retry the request.""";

    private final ToolSchema schema = ToolSchema.load(NAME);

    ToolSchema schema() {
        return schema;
    }

    @Override
    public ToolDefinition definition() {
        return new ToolDefinition(NAME, "Request egress to a blocked host", DESCRIPTION, schema.tree(), false);
    }

    /** The alias for agents that learned the older name of the egress proxy. */
    ToolDefinition aliasDefinition() {
        return definition().withName(ALIAS, "Same as egress-block (older name). " + DESCRIPTION);
    }

    @Override
    public PreparedRequest prepare(ObjectNode arguments) {
        String url = Json.text(arguments, "failed_url");
        HttpTarget target = HttpTarget.parse("failed_url", url);

        ObjectNode input = Json.object();
        input.put("failed_url", url.strip());
        input.put("justification", Json.text(arguments, "justification").strip());

        ObjectNode proposal = Json.object();
        proposal.put("kind", "egress-allow");
        proposal.put("host", target.host());
        proposal.put("port", target.port());
        proposal.put("scheme", target.scheme());
        return new PreparedRequest(input, proposal, "allow egress to " + target.authority());
    }

    @Override
    public String alreadySatisfied(PreparedRequest request, EgressSnapshot current) {
        String host = request.proposal().get("host").asText();
        int port = request.proposal().get("port").asInt();
        if (!current.allows(host, port)) {
            return null;
        }
        return host + ":" + port + " is already on this bottle's allowlist, so the block came from "
                + "another rule of the egress proxy (such as the secret scanner or the private-address "
                + "guard); read the 403 body for the rule. supervise cannot lift those rules.";
    }

    @Override
    public String approvedText(QueuedRequest request, Decision decision) {
        ObjectNode proposal = decision.effectiveProposal(request);
        return "Approved by the operator" + SuperviseTools.noteSuffix(decision) + ". "
                + proposal.get("host").asText() + ":" + proposal.get("port").asInt()
                + " is being added to this bottle's allowlist; retry the request. If it is still "
                + "blocked, call list-egress to see whether the change is live yet.";
    }
}
