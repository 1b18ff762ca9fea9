package dev.claudebottle.launcher.session;

import java.util.List;

/**
 * What {@code resume} needs to start the same bottle again, stored as {@code session.json} in
 * the state folder. It names the agent, never a secret.
 *
 * @param identity the bottle identity
 * @param agent the agent's name
 * @param workingTree the {@code --cwd} folder copied into the bottle, or null
 * @param started when the first run started, ISO-8601
 * @param lastExitCode the exit code of the last run, or null while one runs
 * @param extraNetworks extra Docker networks the bundle joined
 */
public record SessionRecord(String identity, String agent, String workingTree, String started, Integer lastExitCode,
        List<String> extraNetworks) {

    public SessionRecord {
        extraNetworks = extraNetworks == null ? List.of() : List.copyOf(extraNetworks);
    }

    public SessionRecord withExitCode(int code) {
        return new SessionRecord(identity, agent, workingTree, started, code, extraNetworks);
    }
}
