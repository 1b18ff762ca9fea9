package dev.claudebottle.supervise.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.claudebottle.supervise.SecretCheck;
import dev.claudebottle.supervise.internal.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scans every string in a tool's arguments, keys included, for secrets. A hit produces a copy of the
 * arguments in which each flagged value is replaced whole by {@code [REDACTED:<rule>]}, for the audit
 * log, and the names of the flagged fields, for the message to the agent.
 */
final class SecretRefusal {

    /**
     * One scan result.
     *
     * @param fields JSON paths of the flagged values, such as {@code token_ref} or {@code packages[2]}
     * @param rules the rule ids that matched, in the order of {@code fields}
     * @param redacted the arguments with every flagged value replaced
     */
    record Finding(List<String> fields, List<String> rules, JsonNode redacted) {
    }

    private final SecretCheck check;

    SecretRefusal(SecretCheck check) {
        this.check = check;
    }

    /** Returns the finding, or empty when no string in {@code arguments} looks like a secret. */
    Optional<Finding> scan(JsonNode arguments) {
        List<String> fields = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        JsonNode redacted = redact(arguments, "", fields, rules);
        return fields.isEmpty() ? Optional.empty() : Optional.of(new Finding(fields, rules, redacted));
    }

    private JsonNode redact(JsonNode node, String path, List<String> fields, List<String> rules) {
        if (node.isTextual()) {
            Optional<String> rule = check.firstMatch(node.asText());
            if (rule.isPresent()) {
                fields.add(path.isEmpty() ? "(arguments)" : path);
                rules.add(rule.get());
                return TextNode.valueOf("[REDACTED:" + rule.get() + "]");
            }
            return node;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.array();
            for (int i = 0; i < node.size(); i++) {
                copy.add(redact(node.get(i), path + "[" + i + "]", fields, rules));
            }
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = Json.object();
            int keyIndex = 0;
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                keyIndex++;
                String key = field.getKey();
                Optional<String> keyRule = check.firstMatch(key);
                if (keyRule.isPresent()) {
                    String placeholder = "[REDACTED-KEY-" + keyIndex + ":" + keyRule.get() + "]";
                    fields.add(join(path, placeholder));
                    rules.add(keyRule.get());
                    copy.put(placeholder, "[REDACTED]");
                    continue;
                }
                copy.set(key, redact(field.getValue(), join(path, key), fields, rules));
            }
            return copy;
        }
        return node;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
