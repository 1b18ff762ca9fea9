package dev.claudebottle.supervise.tools;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Rejects control characters in tool arguments. The operator reads requests in a terminal, so an
 * agent could otherwise hide text or move the cursor with escape sequences, or reorder what the
 * operator sees with Unicode bidirectional controls.
 */
final class ControlCharacters {

    private ControlCharacters() {
    }

    /**
     * Checks every string and key in {@code arguments}. Tab, line feed and carriage return are
     * allowed.
     *
     * @throws ToolInputException naming the field and the code point
     */
    static void reject(JsonNode arguments) {
        check(arguments, "");
    }

    private static void check(JsonNode node, String path) {
        if (node.isTextual()) {
            checkText(node.asText(), path.isEmpty() ? "(arguments)" : path);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                checkText(field.getKey(), "a field name");
                check(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
            }
        }
    }

    private static void checkText(String text, String where) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isForbidden(c)) {
                throw new ToolInputException(where + " contains the control character U+"
                        + String.format("%04X", (int) c) + "; send plain text (tabs and line breaks are fine)");
            }
        }
    }

    private static boolean isForbidden(char c) {
        boolean c0 = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
        boolean c1 = c >= 0x7f && c <= 0x9f;
        boolean bidi = (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f;
        return c0 || c1 || bidi;
    }
}
