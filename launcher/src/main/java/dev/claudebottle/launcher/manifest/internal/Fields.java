package dev.claudebottle.launcher.manifest.internal;

import java.util.List;
import java.util.Optional;

/**
 * Reads the keys of one manifest map with type checks, reporting unknown keys (with a
 * "did you mean" hint and the valid keys) and wrong types to {@link Problems}. A key whose
 * value is {@code null} counts as absent.
 */
public final class Fields {

    private final YamlNode.Mapping map;
    private final String where;
    private final Problems problems;

    private Fields(YamlNode.Mapping map, String where, Problems problems) {
        this.map = map;
        this.where = where;
        this.problems = problems;
    }

    /**
     * @param where how messages name the map, such as "git entry 2"; empty for the top level
     * @param validKeys every key the map may hold
     */
    public static Fields of(YamlNode.Mapping map, String where, List<String> validKeys, Problems problems) {
        for (YamlNode.Entry entry : map.entries()) {
            if (!validKeys.contains(entry.key())) {
                String in = where.isEmpty() ? "" : " in " + where;
                problems.add(entry.keyPosition(), "unknown key '" + entry.key() + "'" + in
                                + Suggestions.hint(entry.key(), validKeys),
                        "valid keys are " + String.join(", ", validKeys));
            }
        }
        return new Fields(map, where, problems);
    }

    public Problems problems() {
        return problems;
    }

    /** Returns the position of {@code key}, or of the map when the key is absent. */
    public Position position(String key) {
        return map.entry(key).map(YamlNode.Entry::keyPosition).orElse(map.position());
    }

    public Position mapPosition() {
        return map.position();
    }

    /** Returns the value of {@code key}, absent when missing or {@code null}. */
    public Optional<YamlNode> node(String key) {
        return map.entry(key)
                .map(YamlNode.Entry::value)
                .filter(value -> !(value instanceof YamlNode.Scalar scalar && scalar.value() == null));
    }

    public Optional<YamlNode.Scalar> stringNode(String key) {
        Optional<YamlNode> value = node(key);
        if (value.isPresent() && !(value.get() instanceof YamlNode.Scalar scalar && scalar.value() instanceof String)) {
            wrongType(key, value.get(), "text", "quote it");
            return Optional.empty();
        }
        return value.map(YamlNode.Scalar.class::cast);
    }

    public Optional<String> string(String key) {
        return stringNode(key).map(scalar -> (String) scalar.value());
    }

    /** Reads a required text value, reporting a missing key with {@code example} as the fix. */
    public Optional<String> requiredString(String key, String example) {
        if (node(key).isEmpty()) {
            problems.add(map.position(), (where.isEmpty() ? "" : where + ": ") + "missing key '" + key + "'",
                    "add `" + key + ": " + example + "`");
            return Optional.empty();
        }
        return string(key);
    }

    public Optional<Boolean> bool(String key) {
        Optional<YamlNode> value = node(key);
        if (value.isPresent() && !(value.get() instanceof YamlNode.Scalar scalar && scalar.value() instanceof Boolean)) {
            wrongType(key, value.get(), "true or false", "write `" + key + ": true` or `" + key + ": false`");
            return Optional.empty();
        }
        return value.map(node -> (Boolean) ((YamlNode.Scalar) node).value());
    }

    public Optional<YamlNode.Sequence> list(String key, String fix) {
        Optional<YamlNode> value = node(key);
        if (value.isPresent() && !(value.get() instanceof YamlNode.Sequence)) {
            wrongType(key, value.get(), "a list", fix);
            return Optional.empty();
        }
        return value.map(YamlNode.Sequence.class::cast);
    }

    public Optional<YamlNode.Mapping> map(String key, String fix) {
        Optional<YamlNode> value = node(key);
        if (value.isPresent() && !(value.get() instanceof YamlNode.Mapping)) {
            wrongType(key, value.get(), "a map", fix);
            return Optional.empty();
        }
        return value.map(YamlNode.Mapping.class::cast);
    }

    /** Reports that {@code node} under {@code key} has the wrong type. */
    public void wrongType(String key, YamlNode node, String expected, String fix) {
        String in = where.isEmpty() ? "" : " in " + where;
        problems.add(node.position(), "'" + key + "'" + in + " must be " + expected + ", found " + node.describe(), fix);
    }
}
