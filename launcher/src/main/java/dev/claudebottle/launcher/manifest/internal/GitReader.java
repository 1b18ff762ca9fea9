package dev.claudebottle.launcher.manifest.internal;

import dev.claudebottle.launcher.manifest.GitRemote;
import dev.claudebottle.launcher.manifest.HostEnvironment;
import dev.claudebottle.launcher.manifest.internal.BottleLayer.Positioned;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks the {@code git} list of a bottle file. */
final class GitReader {

    static final List<String> KEYS = List.of("Name", "Upstream", "IdentityFile", "KnownHostKey", "ExtraHosts");

    private static final Pattern REMOTE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern SCP_LIKE = Pattern.compile("([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+:\\S+");
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** Host key types OpenSSH accepts in known_hosts (ssh-keygen -t and FIDO security keys). */
    private static final Set<String> HOST_KEY_TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
            "sk-ecdsa-sha2-nistp256@openssh.com");

    private final HostEnvironment host;
    private final Problems problems;

    GitReader(HostEnvironment host, Problems problems) {
        this.host = host;
        this.problems = problems;
    }

    List<Positioned<GitRemote>> read(Fields bottle) {
        Optional<YamlNode.Sequence> list = bottle.list("git", "write one `- Name: ...` entry per repository");
        if (list.isEmpty()) {
            return List.of();
        }
        List<Positioned<GitRemote>> remotes = new ArrayList<>();
        Map<String, Position> names = new HashMap<>();
        int index = 0;
        for (YamlNode item : list.get().items()) {
            index++;
            if (!(item instanceof YamlNode.Mapping map)) {
                problems.add(item.position(), "git entry " + index + " must be a map, found " + item.describe(),
                        "write `- Name: ...` followed by Upstream, IdentityFile and KnownHostKey");
                continue;
            }
            int before = problems.count();
            GitRemote remote = readRemote(Fields.of(map, "git entry " + index, KEYS, problems));
            if (remote == null || problems.count() != before) {
                continue;
            }
            Position first = names.putIfAbsent(remote.name(), map.position());
            if (first != null) {
                problems.add(map.position(), "git Name '" + remote.name() + "' is already used at line " + first.line(),
                        "give each repository its own Name");
                continue;
            }
            remotes.add(new Positioned<>(remote, map.position()));
        }
        return remotes;
    }

    private GitRemote readRemote(Fields fields) {
        Optional<String> name = fields.requiredString("Name", "my-repo");
        Optional<String> upstream = fields.requiredString("Upstream", "ssh://git@git.example.com/me/my-repo.git");
        Optional<String> identity = fields.requiredString("IdentityFile", "~/.ssh/id_ed25519");
        Optional<String> hostKey = fields.requiredString("KnownHostKey", "ssh-ed25519 AAAA...");
        Map<String, String> extraHosts = readExtraHosts(fields);

        name.filter(value -> !REMOTE_NAME.matcher(value).matches()).ifPresent(value -> problems.add(
                fields.position("Name"), "git Name '" + value + "' is not a valid repository name",
                "use letters, digits, '.', '_' and '-', starting with a letter or digit"));
        upstream.ifPresent(value -> checkUpstream(value, fields.position("Upstream")));
        Optional<Path> identityFile = identity.map(value -> checkIdentityFile(value, fields.position("IdentityFile")));
        hostKey.ifPresent(value -> checkHostKey(value, fields.position("KnownHostKey")));

        if (name.isEmpty() || upstream.isEmpty() || identityFile.isEmpty() || identityFile.get() == null
                || hostKey.isEmpty()) {
            return null;
        }
        return new GitRemote(name.get(), upstream.get(), identityFile.get(), hostKey.get().strip(), extraHosts);
    }

    private void checkUpstream(String upstream, Position at) {
        if (upstream.startsWith("ssh://")) {
            try {
                URI uri = new URI(upstream);
                if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
                    problems.add(at, "git Upstream '" + upstream + "' has no host or no repository path",
                            "write ssh://user@host[:port]/path/repo.git");
                }
            } catch (URISyntaxException e) {
                problems.add(at, "git Upstream '" + upstream + "' is not a valid URL (" + e.getReason() + ")",
                        "write ssh://user@host[:port]/path/repo.git");
            }
            return;
        }
        if (upstream.contains("://")) {
            problems.add(at, "git Upstream '" + upstream + "' is not an SSH URL",
                    "the git gate pushes over SSH: write ssh://user@host/path/repo.git; for HTTPS access add a "
                            + "cred_proxy route with role git-insteadof");
            return;
        }
        if (!SCP_LIKE.matcher(upstream).matches()) {
            problems.add(at, "git Upstream '" + upstream + "' is not an SSH URL",
                    "write ssh://user@host[:port]/path/repo.git or user@host:path/repo.git");
        }
    }

    private Path checkIdentityFile(String value, Position at) {
        Path path = host.expandHome(value);
        if (!path.isAbsolute()) {
            problems.add(at, "git IdentityFile '" + value + "' is a relative path",
                    "write an absolute path or one starting with ~/");
            return null;
        }
        if (value.endsWith(".pub")) {
            problems.add(at, "git IdentityFile '" + value + "' names a public key",
                    "point it at the private key, the same path without .pub");
            return null;
        }
        if (!Files.isRegularFile(path)) {
            problems.add(at, "git IdentityFile '" + value + "' does not exist or is not a file",
                    "create the key (ssh-keygen -t ed25519 -f " + value + ") or correct the path");
            return null;
        }
        return path;
    }

    private void checkHostKey(String value, Position at) {
        String[] parts = value.strip().split("\\s+");
        String fix = "write the key type and key as they appear in known_hosts, such as `ssh-ed25519 AAAAC3Nza...`"
                + " (ssh-keyscan HOST prints them)";
        if (parts.length >= 3 && HOST_KEY_TYPES.contains(parts[1])) {
            problems.add(at, "git KnownHostKey starts with a host name", "drop '" + parts[0] + "'; " + fix);
            return;
        }
        if (parts.length < 2 || !HOST_KEY_TYPES.contains(parts[0])) {
            problems.add(at, "git KnownHostKey is not '<key type> <base64 key>'", fix);
            return;
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            problems.add(at, "git KnownHostKey's key is not valid base64", fix);
            return;
        }
        Optional<String> embedded = embeddedKeyType(blob);
        if (embedded.isEmpty() || !embedded.get().equals(parts[0])) {
            problems.add(at, "git KnownHostKey says " + parts[0] + " but its key is "
                    + embedded.map(type -> "of type " + type).orElse("not an SSH public key"), fix);
        }
    }

    /** Reads the key type that an SSH public key blob starts with (RFC 4253, section 6.6). */
    private static Optional<String> embeddedKeyType(byte[] blob) {
        if (blob.length < 4) {
            return Optional.empty();
        }
        int length = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (length <= 0 || length > blob.length - 4 || length > 64) {
            return Optional.empty();
        }
        return Optional.of(new String(blob, 4, length, StandardCharsets.US_ASCII));
    }

    private Map<String, String> readExtraHosts(Fields fields) {
        Optional<YamlNode.Mapping> map = fields.map("ExtraHosts", "write one `host.name: 192.0.2.10` per line");
        Map<String, String> hosts = new LinkedHashMap<>();
        if (map.isEmpty()) {
            return hosts;
        }
        for (YamlNode.Entry entry : map.get().entries()) {
            if (!HOST_NAME.matcher(entry.key()).matches()) {
                problems.add(entry.keyPosition(), "ExtraHosts name '" + entry.key() + "' is not a valid host name",
                        "write a host name such as git.example.com");
                continue;
            }
            if (!(entry.value() instanceof YamlNode.Scalar scalar && scalar.value() instanceof String address)
                    || !isIpLiteral(address)) {
                problems.add(entry.value().position(), "ExtraHosts address for " + entry.key() + " is "
                        + entry.value().describe() + ", not an IP address", "write an IPv4 or IPv6 address such as 192.0.2.10");
                continue;
            }
            hosts.put(entry.key().toLowerCase(Locale.ROOT), address);
        }
        return hosts;
    }

    /**
     * Checks for an IP literal without any DNS lookup: the patterns admit only literals, and
     * {@code InetAddress.getByName} parses a literal without resolving it.
     */
    static boolean isIpLiteral(String text) {
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        if (!IPV6.matcher(text).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
