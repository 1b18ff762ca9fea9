package dev.claudebottle.gitgate.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.jgit.transport.URIish;

/**
 * One {@code bottle.git} entry: a repository the gate mirrors and serves as {@code <name>.git}.
 *
 * @param name repository name served to the agent; letters, digits, '.', '_' and '-', not
 *     starting with '.' or '-'
 * @param upstream SSH URL of the real remote ({@code ssh://user@host[:port]/path} or the scp-like
 *     {@code user@host:path})
 * @param identityFile private key file used when the {@code SecretSource} has no key for this
 *     entry; may be null when the key always comes from the secret source
 * @param knownHostKey the upstream's host public key as one OpenSSH line
 *     ({@code ssh-ed25519 AAAA... [comment]}, optionally preceded by a host pattern)
 * @param extraHosts host name to address pins for the upstream connection, like
 *     {@code docker run --add-host}
 */
public record MirrorEntry(
        String name, String upstream, Path identityFile, String knownHostKey,
        Map<String, String> extraHosts) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");
    /** Dotted-quad IPv4, or hex-and-colons IPv6 (optionally with an embedded IPv4 tail); no names. */
    private static final Pattern IP_LITERAL = Pattern.compile(
            "(?:\\d{1,3}\\.){3}\\d{1,3}|\\[?[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*]?");

    public MirrorEntry {
        Objects.requireNonNull(name, "name");
        extraHosts = extraHosts == null ? Map.of() : Map.copyOf(extraHosts);
    }

    /** Returns the identity file, if one was configured. */
    public Optional<Path> identityFileIfSet() {
        return Optional.ofNullable(identityFile);
    }

    /**
     * Checks the fields that can be checked without I/O.
     *
     * @throws IllegalArgumentException naming the entry, the field and the fix
     */
    void validate() {
        if (!NAME.matcher(name).matches() || name.endsWith(".git") || name.contains("..")) {
            throw invalid("Name", "'" + name + "' is not a valid repository name;"
                    + " use letters, digits, '.', '_' and '-' (no '..', no '.git' suffix, at most 100 characters)");
        }
        if (upstream == null || upstream.isBlank()) {
            throw invalid("Upstream", "is missing; set it to the SSH URL of the real remote");
        }
        URIish uri = parseUpstream();
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().isEmpty()) {
            throw invalid("Upstream", "'" + upstream + "' names no host or path; use user@host:path or ssh://user@host/path");
        }
        if (knownHostKey == null || knownHostKey.isBlank()) {
            throw invalid("KnownHostKey", "is missing; the gate never trusts an upstream host key on first use."
                    + " Set it to the upstream's host key line, e.g. the output of ssh-keyscan for that host");
        }
        extraHosts.forEach((host, address) -> {
            if (host.isBlank() || address == null || address.isBlank()) {
                throw invalid("ExtraHosts", "entry '" + host + "' -> '" + address + "' needs a host name and an address");
            }
            if (!IP_LITERAL.matcher(address.strip()).matches()) {
                throw invalid("ExtraHosts", "entry '" + host + "' -> '" + address
                        + "' must map to an IPv4 or IPv6 address, not a name, as in /etc/hosts");
            }
        });
    }

    /**
     * Parses {@link #upstream} and checks it is an SSH URL.
     *
     * @throws IllegalArgumentException when it is not a valid SSH URL
     */
    public URIish parseUpstream() {
        URIish uri;
        try {
            uri = new URIish(upstream);
        } catch (java.net.URISyntaxException e) {
            throw invalid("Upstream", "'" + upstream + "' is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        boolean scpLike = scheme == null && uri.getHost() != null;
        boolean ssh = "ssh".equals(scheme) || "git+ssh".equals(scheme) || "ssh+git".equals(scheme);
        if (!scpLike && !ssh) {
            throw invalid("Upstream", "'" + upstream + "' is not an SSH URL; the gate pushes only over SSH."
                    + " Use user@host:path or ssh://user@host/path");
        }
        return uri;
    }

    private IllegalArgumentException invalid(String field, String problem) {
        return new IllegalArgumentException("git entry '" + name + "': " + field + " " + problem);
    }
}
