package dev.claudebottle.credproxy.roles;

import java.util.Objects;

/**
 * A file the launcher writes into the agent's home directory.
 *
 * @param homeRelativePath the path below the agent user's home, such as {@code .npmrc}
 * @param content          the whole file content, ending in a newline
 */
public record AgentFile(String homeRelativePath, String content) {

    public AgentFile {
        Objects.requireNonNull(homeRelativePath, "homeRelativePath");
        Objects.requireNonNull(content, "content");
        if (homeRelativePath.startsWith("/") || homeRelativePath.contains("..")) {
            throw new IllegalArgumentException("agent file path must be relative to home: " + homeRelativePath);
        }
    }
}
