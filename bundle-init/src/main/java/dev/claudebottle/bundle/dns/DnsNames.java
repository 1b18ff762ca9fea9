package dev.claudebottle.bundle.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The bottle's own host names and how to find the address they resolve to.
 *
 * <p>Names are compared case-insensitively and without a trailing dot, because DNS names are
 * case-insensitive (RFC 4343) and a resolver may send either form. The bundle sits on two
 * networks, so by default a name resolves to the bundle's address on the network the query came
 * from: the local interface address whose subnet contains the client.
 */
public final class DnsNames {

    private final Set<String> names;
    private final Function<InetAddress, Optional<Inet4Address>> addressForClient;

    private DnsNames(Set<String> names, Function<InetAddress, Optional<Inet4Address>> addressForClient) {
        this.names = Set.copyOf(names);
        this.addressForClient = addressForClient;
    }

    /** Creates a table whose names all resolve to one fixed address. */
    public static DnsNames fixed(Collection<String> names, InetAddress address) {
        if (!(address instanceof Inet4Address ipv4)) {
            throw new IllegalArgumentException("the DNS responder's address must be IPv4, got " + address.getHostAddress());
        }
        return new DnsNames(normalizeAll(names), client -> Optional.of(ipv4));
    }

    /** Creates a table whose names resolve to this host's address on the client's subnet. */
    public static DnsNames facingClient(Collection<String> names) {
        return new DnsNames(normalizeAll(names), DnsNames::localAddressFacing);
    }

    /** Returns the address of a name for a client, if the name is one of the bottle's own. */
    public Optional<Inet4Address> lookup(String name, InetAddress client) {
        return contains(name) ? addressForClient.apply(client) : Optional.empty();
    }

    /** Returns true when the name is one of the bottle's own. */
    public boolean contains(String name) {
        return names.contains(normalize(name));
    }

    static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static Set<String> normalizeAll(Collection<String> names) {
        Set<String> normalized = new TreeSet<>();
        for (String name : names) {
            String key = normalize(name);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("a DNS name of the bottle must not be empty");
            }
            normalized.add(key);
        }
        return normalized;
    }

    private static Optional<Inet4Address> localAddressFacing(InetAddress client) {
        if (client.isLoopbackAddress() && client instanceof Inet4Address ipv4) {
            return Optional.of(ipv4);
        }
        try {
            for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                for (InterfaceAddress candidate : nic.getInterfaceAddresses()) {
                    if (candidate.getAddress() instanceof Inet4Address local
                            && sameSubnet(local, client, candidate.getNetworkPrefixLength())) {
                        return Optional.of(local);
                    }
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean sameSubnet(Inet4Address local, InetAddress client, short prefixLength) {
        if (!(client instanceof Inet4Address) || prefixLength <= 0 || prefixLength > 32) {
            return false;
        }
        int mask = prefixLength == 32 ? -1 : ~((1 << (32 - prefixLength)) - 1);
        return (toInt(local) & mask) == (toInt((Inet4Address) client) & mask);
    }

    private static int toInt(Inet4Address address) {
        byte[] octets = address.getAddress();
        return (octets[0] & 0xff) << 24 | (octets[1] & 0xff) << 16 | (octets[2] & 0xff) << 8 | (octets[3] & 0xff);
    }
}
