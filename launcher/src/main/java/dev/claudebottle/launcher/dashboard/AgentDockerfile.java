package dev.claudebottle.launcher.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds the text of a bottle's own agent Dockerfile from an approved {@code capability} proposal:
 * either the complete Dockerfile the agent proposed, or install steps for packages, added to the
 * bottle's earlier Dockerfile or to one that starts from the default agent image.
 */
final class AgentDockerfile {

    /**
     * A package name with an optional version, as apt, npm and pip spell them. supervise's schema
     * checks the same pattern; it is checked again here because the name ends up in a {@code RUN} line.
     */
    private static final Pattern PACKAGE = Pattern.compile("[A-Za-z0-9@][A-Za-z0-9@+./:=~_-]{0,213}");

    private AgentDockerfile() {
    }

    /**
     * Returns the new Dockerfile text.
     *
     * @param current the bottle's Dockerfile so far, or null when it has none
     * @throws DashboardException when the proposal is neither a Dockerfile nor valid packages
     */
    static String apply(JsonNode proposal, String current) {
        JsonNode dockerfile = proposal.get("dockerfile");
        JsonNode packages = proposal.get("packages");
        if ((packages == null || packages.isEmpty()) && dockerfile != null && dockerfile.isTextual()) {
            String text = dockerfile.asText();
            return text.endsWith("\n") ? text : text + "\n";
        }
        if (packages == null || !packages.isArray() || packages.isEmpty()) {
            throw new DashboardException("cannot build the agent Dockerfile", "the proposal has neither "
                    + "packages nor a dockerfile", "modify the request to list packages, or reject it");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode node : packages) {
            String name = node.asText();
            if (!node.isTextual() || !PACKAGE.matcher(name).matches()) {
                throw new DashboardException("cannot build the agent Dockerfile", "package name '" + name
                        + "' has characters outside letters, digits and @+./:=~_-",
                        "modify the request to name the package plainly, such as ripgrep");
            }
            names.add(name);
        }

        StringBuilder text = new StringBuilder();
        if (dockerfile != null && dockerfile.isTextual()) {
            text.append(dockerfile.asText().stripTrailing()).append('\n');
        } else if (current != null) {
            text.append(current.stripTrailing()).append('\n');
        } else {
            text.append("# The agent image of this bottle with the capabilities approved in the dashboard.\n")
                    .append("FROM ").append(BottlePlan.Images.DEFAULT.agent()).append('\n');
        }
        text.append("USER root\n")
                .append(installStep(proposal.path("package_manager").asText("apt"), String.join(" ", names)))
                .append("USER agent\n");
        return text.toString();
    }

    private static String installStep(String manager, String packages) {
        return switch (manager) {
            case "apt" -> "RUN apt-get update && apt-get install -y --no-install-recommends " + packages
                    + " && rm -rf /var/lib/apt/lists/*\n";
            case "npm" -> "RUN npm install -g " + packages + "\n";
            case "pip" -> "RUN python3 -m pip install --no-cache-dir --break-system-packages " + packages + "\n";
            default -> throw new DashboardException("cannot build the agent Dockerfile", "package manager '"
                    + manager + "' is not apt, npm or pip", "modify the request to use one of them");
        };
    }
}
