package dev.claudebottle.launcher.manifest;

import java.nio.file.Path;
import java.util.Map;

/**
 * The machine that manifests are checked against: the environment variables that
 * {@code ${VAR}} values and {@code token_ref}s name, and the home folder that {@code ~} means.
 */
public record HostEnvironment(Map<String, String> variables, Path userHome) {

    public HostEnvironment {
        variables = Map.copyOf(variables);
    }

    /** Returns the host's real environment and home folder. */
    public static HostEnvironment current() {
        return new HostEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** Returns whether {@code name} is set, to any value including an empty one. */
    public boolean isSet(String name) {
        return variables.containsKey(name);
    }

    /** Expands a leading {@code ~/} to the home folder. */
    public Path expandHome(String path) {
        if (path.equals("~")) {
            return userHome;
        }
        if (path.startsWith("~/")) {
            return userHome.resolve(path.substring(2));
        }
        return Path.of(path);
    }
}
