package dev.claudebottle.gitgate.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.SshConstants;

/**
 * In-memory replacement for {@code ~/.ssh/config}: pins host names to the entry's
 * {@code ExtraHosts} addresses and makes every connection non-interactive, public-key only.
 */
final class PinnedHostConfigStore implements SshConfigStore {

    private final Map<String, String> extraHosts = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final long connectTimeoutSeconds;

    PinnedHostConfigStore(Map<String, String> extraHosts, Duration connectTimeout) {
        extraHosts.forEach((host, address) -> this.extraHosts.put(normalise(host), address.strip()));
        // OpenSSH's ConnectTimeout is whole seconds; round up so a short timeout never becomes 0 (no limit).
        this.connectTimeoutSeconds = Math.max(1, (connectTimeout.toMillis() + 999) / 1000);
    }

    @Override
    public HostConfig lookup(String hostName, int port, String userName) {
        Map<String, String> options = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        options.put(SshConstants.HOST_NAME, extraHosts.getOrDefault(normalise(hostName), hostName));
        options.put(SshConstants.CONNECT_TIMEOUT, Long.toString(connectTimeoutSeconds));
        options.put(SshConstants.BATCH_MODE, SshConstants.YES);
        options.put(SshConstants.STRICT_HOST_KEY_CHECKING, SshConstants.YES);
        options.put(SshConstants.PREFERRED_AUTHENTICATIONS, "publickey");
        return new FixedHostConfig(options);
    }

    @Override
    public HostConfig lookupDefault(String hostName, int port, String userName) {
        return lookup(hostName, port, userName);
    }

    /** Lower-cases a host name and drops a trailing dot, so "Host.Example." pins "host.example". */
    private static String normalise(String host) {
        String lower = host.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private record FixedHostConfig(Map<String, String> options) implements HostConfig {

        @Override
        public String getValue(String key) {
            return options.get(key);
        }

        @Override
        public List<String> getValues(String key) {
            String value = options.get(key);
            return value == null ? List.of() : List.of(value);
        }

        @Override
        public Map<String, String> getOptions() {
            return options;
        }

        @Override
        public Map<String, List<String>> getMultiValuedOptions() {
            return Map.of();
        }
    }
}
