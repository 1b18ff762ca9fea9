package dev.claudebottle.bundle.services;

import dev.claudebottle.bundle.BundleConfigException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the simple keys of one service's section of the bundle config, strictly. */
final class SectionReader {

    private final Map<String, Object> section;
    private final String name;
    private final String source;

    SectionReader(Map<String, Object> section, String name, String source, List<String> validKeys) {
        this.section = section;
        this.name = name;
        this.source = source;
        for (String key : section.keySet()) {
            if (!validKeys.contains(key)) {
                throw new BundleConfigException(source + ": unknown key '" + name + "." + key
                        + "'; valid keys of '" + name + "': " + String.join(", ", validKeys));
            }
        }
    }

    /** Reads {@code host:port}, for example {@code 0.0.0.0:9099}. */
    InetSocketAddress address(String key, String fallback) {
        Object value = section.getOrDefault(key, fallback);
        String text = String.valueOf(value);
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw invalid(key, "'" + text + "' is not host:port, for example 0.0.0.0:9099");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw invalid(key, "port " + port + " is outside 0-65535");
            }
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw invalid(key, "'" + text + "' has no numeric port; use host:port, for example 0.0.0.0:9099");
        }
    }

    List<String> stringList(String key, List<String> fallback) {
        Object value = section.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof List<?> list)) {
            throw invalid(key, "must be a list of strings");
        }
        List<String> strings = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String text) || text.isBlank()) {
                throw invalid(key, "must be a list of non-empty strings");
            }
            strings.add(text);
        }
        return strings;
    }

    Object raw(String key) {
        return section.get(key);
    }

    BundleConfigException invalid(String key, String problem) {
        return new BundleConfigException(source + ": '" + name + "." + key + "' " + problem);
    }
}
