package dev.claudebottle.launcher.manifest;

import java.nio.file.Path;
import java.util.Map;

/**
 * One {@code git} entry of a bottle: a repository the git gate mirrors and pushes to.
 *
 * @param name the mirror's name; the agent reaches it as {@code git://git-gate/<name>.git}
 * @param upstream the SSH URL pushes go to, as written in the manifest
 * @param identityFile the private key used for the upstream, with {@code ~} expanded
 * @param knownHostKey the upstream's host key as {@code <type> <base64>}, checked on every connection
 * @param extraHosts host names pinned to IP addresses inside the bundle, in manifest order
 */
public record GitRemote(String name, String upstream, Path identityFile, String knownHostKey,
        Map<String, String> extraHosts) {

    public GitRemote {
        extraHosts = Map.copyOf(extraHosts);
    }
}
