package dev.claudebottle.launcher.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Text helpers for the terminal UI: safe display of untrusted text, ages and wrapping. */
final class ScreenText {

    private ScreenText() {
    }

    /**
     * Replaces control characters (C0, DEL and C1) with {@code ?}. Request files come from the agent's
     * side, and an escape sequence in them could move the cursor or rewrite the operator's screen.
     */
    static String clean(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder cleaned = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
            cleaned.appendCodePoint(control ? '?' : c);
        });
        return cleaned.toString();
    }

    /** Formats an age as {@code 42s}, {@code 5m}, {@code 3h} or {@code 2d}. */
    static String age(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86_400 + "d";
    }

    /** Pads or cuts {@code text} to exactly {@code width} characters. */
    static String fit(String text, int width) {
        if (text.length() > width) {
            return width <= 1 ? text.substring(0, width) : text.substring(0, width - 1) + "~";
        }
        return text + " ".repeat(width - text.length());
    }

    /** Splits {@code text} into lines of at most {@code width} characters, at spaces where possible. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            String rest = clean(paragraph);
            while (rest.length() > width) {
                int cut = rest.lastIndexOf(' ', width);
                if (cut <= 0) {
                    cut = width;
                }
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut).stripLeading();
            }
            lines.add(rest);
        }
        return lines;
    }
}
