package dev.claudebottle.dlp.internal;

import dev.claudebottle.dlp.Rule;
import dev.claudebottle.dlp.RuleFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads the YAML rule format.
 *
 * <p>YAML rather than TOML: snakeyaml-engine is already a dependency of the project, and YAML
 * single-quoted scalars keep regex backslashes literal, so rules read as they are written. Unknown
 * keys fail, so a typo cannot silently drop a field.
 */
public final class RuleFileParser {
    private static final Set<String> TOP_KEYS = Set.of("version", "rules");
    private static final Set<String> RULE_KEYS = Set.of("id", "description", "regex", "secretGroup", "keywords",
            "entropy", "allowlist", "stopwords", "maxLength");
    private static final int DEFAULT_MAX_LENGTH = 256;

    private final String source;

    public RuleFileParser(String source) {
        this.source = source;
    }

    /** Parses the text into rules, failing on the first problem. */
    public List<Rule> parse(String yaml) {
        Object document;
        try {
            LoadSettings settings = LoadSettings.builder()
                    .setLabel(source)
                    .setAllowDuplicateKeys(false)
                    .setMaxAliasesForCollections(0)
                    .build();
            document = new Load(settings).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new RuleFileException(source, null, "invalid YAML: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> top)) {
            throw new RuleFileException(source, null, "expected a mapping with 'version: 1' and 'rules:'");
        }
        checkKeys(top, TOP_KEYS, null);
        if (!Integer.valueOf(1).equals(top.get("version"))) {
            throw new RuleFileException(source, null, "unsupported version " + top.get("version") + "; expected 'version: 1'");
        }
        if (!(top.get("rules") instanceof List<?> entries) || entries.isEmpty()) {
            throw new RuleFileException(source, null, "'rules' must be a non-empty list");
        }

        List<Rule> rules = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            rules.add(parseRule(entries.get(i), i));
        }
        return rules;
    }

    private Rule parseRule(Object entry, int index) {
        if (!(entry instanceof Map<?, ?> map)) {
            throw new RuleFileException(source, "#" + (index + 1), "each rule must be a mapping");
        }
        String id = map.get("id") instanceof String s ? s : "#" + (index + 1);
        checkKeys(map, RULE_KEYS, id);
        try {
            return new Rule(
                    string(map, "id", id),
                    string(map, "description", id),
                    string(map, "regex", id),
                    integer(map, "secretGroup", 0, id),
                    strings(map, "keywords", id),
                    number(map, "entropy", id),
                    Set.copyOf(strings(map, "allowlist", id)),
                    strings(map, "stopwords", id),
                    integer(map, "maxLength", DEFAULT_MAX_LENGTH, id));
        } catch (IllegalArgumentException e) {
            throw new RuleFileException(source, id, e.getMessage(), e);
        }
    }

    private void checkKeys(Map<?, ?> map, Set<String> allowed, String id) {
        for (Object key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new RuleFileException(source, id, "unknown key '" + key + "'; allowed keys are " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private String string(Map<?, ?> map, String key, String id) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new RuleFileException(source, id, "'" + key + "' must be a string");
        }
        return s;
    }

    private int integer(Map<?, ?> map, String key, int fallback, String id) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Integer n)) {
            throw new RuleFileException(source, id, "'" + key + "' must be an integer");
        }
        return n;
    }

    private double number(Map<?, ?> map, String key, String id) {
        Object value = map.get(key);
        if (value == null) {
            return 0;
        }
        if (!(value instanceof Number n)) {
            throw new RuleFileException(source, id, "'" + key + "' must be a number");
        }
        return n.doubleValue();
    }

    private List<String> strings(Map<?, ?> map, String key, String id) {
        Object value = map.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new RuleFileException(source, id, "'" + key + "' must be a list of strings");
        }
        List<String> result = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new RuleFileException(source, id, "'" + key + "' must contain only strings; found " + item);
            }
            result.add(s);
        }
        return result;
    }
}
