package dev.claudebottle.launcher.session;

/** The non-root user of the agent image: Claude Code runs as this user. */
final class AgentUser {

    static final String NAME = "agent";
    static final int UID = 1000;
    static final int GID = 1000;
    static final String HOME = "/home/agent";
    static final String WORKSPACE = HOME + "/workspace";
    static final String CLAUDE_HOME = HOME + "/.claude";
    static final String SYSTEM_PROMPT = HOME + "/.claude-bottle/system-prompt.md";

    private AgentUser() {
    }
}
