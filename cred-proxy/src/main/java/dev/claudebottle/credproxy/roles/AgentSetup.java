package dev.claudebottle.credproxy.roles;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings the launcher puts into the agent so its tools call cred-proxy: environment variables
 * and home-directory files. It contains no secret: the only credential-shaped value is a fixed
 * placeholder that cred-proxy strips.
 *
 * @param environment variables to set in the agent container, in a stable order
 * @param files       files to write below the agent's home, each path at most once
 */
public record AgentSetup(Map<String, String> environment, List<AgentFile> files) {

    public AgentSetup {
        environment = Map.copyOf(environment);
        files = List.copyOf(files);
        long distinctPaths = files.stream().map(AgentFile::homeRelativePath).distinct().count();
        if (distinctPaths != files.size()) {
            throw new IllegalArgumentException("agent files must have distinct paths: " + files.stream()
                    .map(AgentFile::homeRelativePath).toList());
        }
    }

    /** Returns the file at {@code homeRelativePath}, if the routes asked for it. */
    public Optional<AgentFile> file(String homeRelativePath) {
        return files.stream().filter(file -> file.homeRelativePath().equals(homeRelativePath)).findFirst();
    }
}
