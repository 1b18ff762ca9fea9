package dev.claudebottle.supervise.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.internal.Json;
import dev.claudebottle.supervise.queue.Decision;
import dev.claudebottle.supervise.queue.PreparedRequest;
import dev.claudebottle.supervise.queue.QueuedRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code capability-block}: asks for packages or a changed Dockerfile for the agent image. An approval
 * takes effect when the operator resumes the bottle, not in the running one.
 */
final class CapabilityBlockTool implements AccessRequestTool {

    static final String NAME = "capability-block";

    private static final Pattern FROM_LINE = Pattern.compile("(?im)^\\s*FROM\\s+\\S+");

    private static final String DESCRIPTION = """
            Ask the operator for a tool or package that is missing from this bottle's image, such as \
            a compiler or a CLI. Use it when a command is not found or a package cannot be installed \
            (the bottle has no package registry access), instead of downloading binaries another \
            way. Send the packages wanted, or a complete proposed Dockerfile, and a justification. \
            An approval takes effect when the operator resumes the bottle with the new image, not in \
            this session. If the answer is "pending", call check-request with the request id later.""";

    private final ToolSchema schema = ToolSchema.load(NAME);

    ToolSchema schema() {
        return schema;
    }

    @Override
    public ToolDefinition definition() {
        return new ToolDefinition(NAME, "Request a capability for the agent image", DESCRIPTION,
                schema.tree(), false);
    }

    @Override
    public PreparedRequest prepare(ObjectNode arguments) {
        String dockerfile = Json.text(arguments, "dockerfile");
        if (dockerfile != null && !FROM_LINE.matcher(dockerfile).find()) {
            throw new ToolInputException("dockerfile has no FROM line; send a complete Dockerfile "
                    + "that starts from the current agent image, or send packages instead");
        }
        List<String> packages = new ArrayList<>();
        JsonNode packageNodes = arguments.get("packages");
        if (packageNodes != null) {
            packageNodes.forEach(node -> packages.add(node.asText()));
        }
        String manager = Json.text(arguments, "package_manager");

        ObjectNode input = Json.object();
        if (!packages.isEmpty()) {
            packages.forEach(input.putArray("packages")::add);
            input.put("package_manager", manager == null ? "apt" : manager);
        }
        if (dockerfile != null) {
            input.put("dockerfile", dockerfile);
        }
        input.put("justification", Json.text(arguments, "justification").strip());

        ObjectNode proposal = input.deepCopy();
        proposal.remove("justification");
        proposal.put("kind", "capability");
        String summary = packages.isEmpty()
                ? "new agent Dockerfile (" + dockerfile.lines().count() + " lines)"
                : "install " + input.get("package_manager").asText() + " packages " + String.join(" ", packages)
                        + (dockerfile == null ? "" : " and a new agent Dockerfile");
        return new PreparedRequest(input, proposal, summary);
    }

    @Override
    public String approvedText(QueuedRequest request, Decision decision) {
        return "Approved by the operator" + SuperviseTools.noteSuffix(decision) + ". The change takes "
                + "effect when the operator resumes this bottle with the new image; until then, carry "
                + "on with work that does not need it, or tell the user that a resume is needed.";
    }
}
