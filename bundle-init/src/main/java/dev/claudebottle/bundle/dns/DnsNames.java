package dev.claudebottle.bundle.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The bottle's own host names and the IPv4 addresses they resolve to.
 *
 * <p>Names are compared case-insensitively and without a trailing dot, because DNS names are
 * case-insensitive (RFC 4343) and a resolver may send either form.
 */
public final class DnsNames {

    private final Map<String, Inet4Address> addresses;

    private DnsNames(Map<String, Inet4Address> addresses) {
        this.addresses = Map.copyOf(addresses);
    }

    /**
     * Creates the table from name to address pairs.
     *
     * @throws IllegalArgumentException when a name is empty or an address is not IPv4
     */
    public static DnsNames of(Map<String, ? extends InetAddress> entries) {
        Map<String, Inet4Address> table = new TreeMap<>();
        entries.forEach((name, address) -> {
            String key = normalize(name);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("DNS name must not be empty");
            }
            if (!(address instanceof Inet4Address ipv4)) {
                throw new IllegalArgumentException(
                        "DNS name " + name + " must map to an IPv4 address, got " + address.getHostAddress());
            }
            table.put(key, ipv4);
        });
        return new DnsNames(table);
    }

    /** Returns the address of a name, if it is one of the bottle's own. */
    public Optional<Inet4Address> lookup(String name) {
        return Optional.ofNullable(addresses.get(normalize(name)));
    }

    /** Returns true when the name is one of the bottle's own. */
    public boolean contains(String name) {
        return addresses.containsKey(normalize(name));
    }

    static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
