package dev.claudebottle.launcher.manifest;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
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

    /**
     * Returns the upstream's host in lower case, from {@code ssh://[user@]host[:port]/path} or
     * {@code [user@]host:path}; loading has checked that the URL has one of these forms.
     */
    public String upstreamHost() {
        if (upstream.startsWith("ssh://")) {
            String host = URI.create(upstream).getHost();
            return host == null ? "" : host.toLowerCase(Locale.ROOT);
        }
        int at = upstream.indexOf('@');
        int colon = upstream.indexOf(':', at + 1);
        return upstream.substring(at + 1, colon < 0 ? upstream.length() : colon).toLowerCase(Locale.ROOT);
    }
}
