package dev.claudebottle.launcher.manifest.internal;

import java.util.List;
import java.util.Optional;

/**
 * A node of the strict YAML subset that manifests accept, positioned in its file. Scalars are
 * already typed: a string, a {@code Long}, a {@code Boolean} or {@code null}.
 */
public sealed interface YamlNode {

    Position position();

    /** Names the node's kind for messages, as in "expected a list, found a map". */
    String describe();

    /** A scalar: {@code value} is a {@code String}, {@code Long}, {@code Boolean} or {@code null}. */
    record Scalar(Object value, Position position) implements YamlNode {

        @Override
        public String describe() {
            if (value == null) {
                return "null";
            }
            if (value instanceof String text) {
                return text.isEmpty() ? "an empty string" : "the string \"" + text + "\"";
            }
            return (value instanceof Boolean ? "the boolean " : "the number ") + value;
        }
    }

    /** A list, in block style or as a flow list of scalars. */
    record Sequence(List<YamlNode> items, Position position) implements YamlNode {

        @Override
        public String describe() {
            return "a list";
        }
    }

    /** A map whose keys are strings; duplicate keys were rejected while it was read. */
    record Mapping(List<Entry> entries, Position position) implements YamlNode {

        @Override
        public String describe() {
            return "a map";
        }

        /** Finds the entry for {@code key}. */
        public Optional<Entry> entry(String key) {
            return entries.stream().filter(entry -> entry.key().equals(key)).findFirst();
        }
    }

    /** One {@code key: value} pair of a map, with the key's own position. */
    record Entry(String key, Position keyPosition, YamlNode value) {
    }
}
