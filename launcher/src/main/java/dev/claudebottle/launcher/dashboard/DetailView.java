package dev.claudebottle.launcher.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.launcher.dashboard.Dashboard.Pending;
import dev.claudebottle.supervise.queue.QueuedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/** The lines of the detail view of one request: what the agent requested and what approving it changes. */
final class DetailView {

    private DetailView() {
    }

    static List<AttributedString> lines(Pending pending, Instant now, int columns) {
        QueuedRequest request = pending.request();
        ObjectNode proposal = request.proposal();
        ObjectNode input = request.input();
        List<AttributedString> lines = new ArrayList<>();
        lines.add(new AttributedString("Request " + request.id(), AttributedStyle.BOLD));
        field(lines, "bottle", pending.bottle().identity(), columns);
        field(lines, "tool", request.tool(), columns);
        field(lines, "requested", request.createdAt() + " (" + ScreenText.age(Duration.between(request.createdAt(), now))
                + " ago)", columns);
        field(lines, "summary", request.summary(), columns);
        lines.add(AttributedString.EMPTY);

        switch (proposal.path("kind").asText()) {
            case "egress-allow" -> {
                field(lines, "failed URL", input.path("failed_url").asText(), columns);
                String port = proposal.path("port").asText();
                field(lines, "would allow", proposal.path("host").asText() + ":" + port + " ("
                        + proposal.path("scheme").asText("https") + "), at once if the bottle runs, and after resume",
                        columns);
            }
            case "credential-route" -> {
                field(lines, "route path", proposal.path("path").asText(), columns);
                field(lines, "upstream", proposal.path("upstream").asText(), columns);
                field(lines, "auth scheme", proposal.path("auth_scheme").asText(), columns);
                field(lines, "token from", "host environment variable " + proposal.path("token_ref").asText(),
                        columns);
                if (proposal.hasNonNull("role")) {
                    field(lines, "role", proposal.path("role").asText(), columns);
                }
            }
            case "capability" -> capability(lines, proposal, columns);
            default -> field(lines, "proposal", proposal.toString(), columns);
        }
        lines.add(AttributedString.EMPTY);
        lines.add(new AttributedString("justification:", AttributedStyle.BOLD));
        for (String line : ScreenText.wrap(input.path("justification").asText(), Math.max(20, columns - 2))) {
            lines.add(new AttributedString("  " + line));
        }
        return lines;
    }

    private static void capability(List<AttributedString> lines, ObjectNode proposal, int columns) {
        JsonNode packages = proposal.get("packages");
        if (packages != null && packages.isArray()) {
            List<String> names = new ArrayList<>();
            packages.forEach(node -> names.add(node.asText()));
            field(lines, "packages", proposal.path("package_manager").asText("apt") + ": " + String.join(" ", names),
                    columns);
        }
        if (proposal.hasNonNull("dockerfile")) {
            lines.add(new AttributedString("proposed Dockerfile:", AttributedStyle.BOLD));
            for (String line : ScreenText.wrap(proposal.get("dockerfile").asText(), Math.max(20, columns - 4))) {
                lines.add(new AttributedString("    " + line, AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN)));
            }
        }
        field(lines, "takes effect", "when the bottle is resumed, from its own agent Dockerfile", columns);
    }

    private static void field(List<AttributedString> lines, String name, String value, int columns) {
        List<String> wrapped = ScreenText.wrap(value, Math.max(20, columns - 16));
        for (int i = 0; i < wrapped.size(); i++) {
            String label = i == 0 ? ScreenText.fit(name + ":", 14) : " ".repeat(14);
            lines.add(new AttributedString("  " + label + wrapped.get(i)));
        }
    }
}
