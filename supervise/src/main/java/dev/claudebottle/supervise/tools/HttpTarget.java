package dev.claudebottle.supervise.tools;

import io.netty.util.NetUtil;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * The scheme, host and port of an http or https URL from a tool argument, with the host normalised as
 * the egress allowlist compares it: lower case, no trailing dot, IDN in punycode.
 */
record HttpTarget(String scheme, String host, int port) {

    /** Names of the bundle's own services and of this machine; no allowlist entry may point at them. */
    private static final Set<String> INTERNAL_NAMES =
            Set.of("localhost", "egress", "pipelock", "cred-proxy", "git-gate", "supervise");

    /**
     * Parses {@code url} from argument {@code field}.
     *
     * @throws ToolInputException when the URL is not absolute http or https, has no host, carries
     *     user info, or names a loopback, link-local or internal host
     */
    static HttpTarget parse(String field, String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new ToolInputException(field + " is not a valid URL (" + e.getReason() + " at index "
                    + e.getIndex() + "); send the full URL, such as https://api.example.com/v1");
        }

        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new ToolInputException(field + " must start with http:// or https://, such as "
                    + "https://api.example.com/v1; other schemes cannot pass the egress proxy");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ToolInputException(field + " contains user info (user:password@); send the URL "
                    + "without it, because credentials never go through supervise");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new ToolInputException(field + " has no host; send the full URL, such as "
                    + "https://api.example.com/v1");
        }

        String normalised = normaliseHost(field, host);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
        if (port < 1 || port > 65535) {
            throw new ToolInputException(field + " has port " + port + ", which is outside 1 to 65535");
        }
        return new HttpTarget(scheme, normalised, port);
    }

    private static String normaliseHost(String field, String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name)) {
            return checkAddressLiteral(field, name);
        }
        try {
            name = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new ToolInputException(field + " has an invalid host name; use letters, digits, "
                    + "hyphens and dots");
        }
        String lastLabel = name.substring(name.lastIndexOf('.') + 1);
        if (lastLabel.matches("[0-9]+|0x[0-9a-f]*")) {
            // No top-level domain is numeric, so this is an address in a shorthand form such as 127.1.
            throw new ToolInputException(field + " names " + name + ", which reads as an IP address in a "
                    + "shorthand form; send the host name, or the address as four decimal parts");
        }
        if (INTERNAL_NAMES.contains(name) || name.endsWith(".localhost") || !name.contains(".")) {
            throw new ToolInputException(field + " names " + name + ", which is local or one of the "
                    + "bottle's own services; egress-block only opens public hosts with a domain name");
        }
        return name;
    }

    /**
     * Rejects loopback, link-local, private and unspecified literals (including the cloud metadata
     * address 169.254.169.254); the egress proxy rejects them whatever the allowlist contains. The literal
     * is parsed without any DNS lookup.
     */
    private static String checkAddressLiteral(String field, String literal) {
        byte[] address = NetUtil.createByteArrayFromIpAddressString(literal);
        InetAddress parsed;
        try {
            parsed = InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4- or 16-byte address is always accepted", e);
        }
        if (parsed.isLoopbackAddress() || parsed.isLinkLocalAddress() || parsed.isSiteLocalAddress()
                || parsed.isAnyLocalAddress() || parsed.isMulticastAddress() || isUniqueLocal(address)
                || isCarrierGradeNat(address)) {
            throw new ToolInputException(field + " names the private or local address " + literal
                    + "; the egress proxy never connects to such addresses, so there is nothing to approve");
        }
        return NetUtil.toAddressString(parsed);
    }

    private static boolean isUniqueLocal(byte[] address) {
        return address.length == 16 && (address[0] & 0xfe) == 0xfc;
    }

    private static boolean isCarrierGradeNat(byte[] address) {
        return address.length == 4 && (address[0] & 0xff) == 100 && (address[1] & 0xc0) == 64;
    }

    /** Renders {@code host:port}, with brackets around an IPv6 literal. */
    String authority() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
