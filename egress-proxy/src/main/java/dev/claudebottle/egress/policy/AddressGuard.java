package dev.claudebottle.egress.policy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The SSRF guard: tells whether an address is non-public (loopback, RFC 1918, link-local and so
 * cloud metadata, CGNAT, ULA, multicast, unspecified, documentation and reserved ranges), looking
 * through the IPv6 forms that embed an IPv4 address: IPv4-mapped and -compatible, NAT64
 * (64:ff9b::/96, RFC 6052), 6to4 (2002::/16, RFC 3056) and Teredo (2001::/32, RFC 4380).
 */
public final class AddressGuard {

    private AddressGuard() {
    }

    /** Returns why {@code address} is not public, or empty when it is a public address. */
    public static Optional<String> nonPublicReason(InetAddress address) {
        if (address instanceof Inet4Address) {
            return ipv4Reason(address.getAddress());
        }
        if (address instanceof Inet6Address) {
            return ipv6Reason(address.getAddress());
        }
        return Optional.of("unknown address family");
    }

    private static Optional<String> ipv4Reason(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        int b2 = a[2] & 0xff;
        String reason = null;
        if (b0 == 0) {
            reason = "unspecified or 'this network' (0.0.0.0/8)";
        } else if (b0 == 10) {
            reason = "private (10.0.0.0/8)";
        } else if (b0 == 100 && (b1 & 0xc0) == 64) {
            reason = "carrier-grade NAT (100.64.0.0/10)";
        } else if (b0 == 127) {
            reason = "loopback (127.0.0.0/8)";
        } else if (b0 == 169 && b1 == 254) {
            reason = "link-local, including cloud metadata (169.254.0.0/16)";
        } else if (b0 == 172 && (b1 & 0xf0) == 16) {
            reason = "private (172.16.0.0/12)";
        } else if (b0 == 192 && b1 == 168) {
            reason = "private (192.168.0.0/16)";
        } else if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) {
            reason = "IETF protocol or documentation range (192.0.0.0/24, 192.0.2.0/24)";
        } else if (b0 == 198 && (b1 & 0xfe) == 18) {
            reason = "benchmarking (198.18.0.0/15)";
        } else if ((b0 == 198 && b1 == 51 && b2 == 100) || (b0 == 203 && b1 == 0 && b2 == 113)) {
            reason = "documentation range";
        } else if (b0 >= 224 && b0 <= 239) {
            reason = "multicast (224.0.0.0/4)";
        } else if (b0 >= 240) {
            reason = "reserved or broadcast (240.0.0.0/4)";
        }
        return Optional.ofNullable(reason);
    }

    private static Optional<String> ipv6Reason(byte[] a) {
        if (allZero(a, 0, 16)) {
            return Optional.of("unspecified (::)");
        }
        if (allZero(a, 0, 15) && a[15] == 1) {
            return Optional.of("loopback (::1)");
        }
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if (b0 == 0xff) {
            return Optional.of("multicast (ff00::/8)");
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return Optional.of("link-local (fe80::/10)");
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return Optional.of("site-local (fec0::/10)");
        }
        if ((b0 & 0xfe) == 0xfc) {
            return Optional.of("unique local (fc00::/7)");
        }
        if (b0 == 0x20 && b1 == 0x01 && (a[2] & 0xff) == 0x0d && (a[3] & 0xff) == 0xb8) {
            return Optional.of("documentation (2001:db8::/32)");
        }
        if (b0 == 0x01 && b1 == 0 && allZero(a, 2, 8)) {
            return Optional.of("discard-only (100::/64)");
        }
        return embeddedIpv4Reason(a);
    }

    private static Optional<String> embeddedIpv4Reason(byte[] a) {
        // ::a.b.c.d (compatible) and ::ffff:a.b.c.d (mapped).
        if (allZero(a, 0, 10) && ((a[10] == 0 && a[11] == 0)
                || ((a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff))) {
            return embedded("IPv4-mapped or -compatible", slice(a, 12));
        }
        // 64:ff9b::/96 (well-known NAT64 prefix) and 64:ff9b:1::/48 (local-use NAT64).
        if (a[0] == 0 && a[1] == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b) {
            if (a[4] == 0 && a[5] == 1) {
                return Optional.of("local-use NAT64 (64:ff9b:1::/48)");
            }
            if (allZero(a, 4, 12)) {
                return embedded("NAT64", slice(a, 12));
            }
        }
        // 2002:AABB:CCDD::/48 carries the IPv4 address AA.BB.CC.DD.
        if (a[0] == 0x20 && a[1] == 0x02) {
            return embedded("6to4", slice(a, 2));
        }
        // Teredo: server IPv4 in bytes 4-7, client IPv4 XOR 0xff in bytes 12-15.
        if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0) {
            Optional<String> server = embedded("Teredo server", slice(a, 4));
            if (server.isPresent()) {
                return server;
            }
            byte[] client = slice(a, 12);
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~client[i];
            }
            return embedded("Teredo client", client);
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(String form, byte[] ipv4) {
        return ipv4Reason(ipv4).map(inner -> form + " form of a non-public IPv4 address: " + inner);
    }

    private static byte[] slice(byte[] a, int from) {
        byte[] out = new byte[4];
        System.arraycopy(a, from, out, 0, 4);
        return out;
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
