package dev.claudebottle.launcher.preflight;

import java.util.Optional;

/** The user's terminal, for questions that must come from a person rather than from a pipe. */
public interface Terminal {

    /** Shows {@code prompt} and returns the line typed, or nothing at end of input. */
    Optional<String> readLine(String prompt);

    /** Returns the terminal of this process, when standard input and output both are one. */
    static Optional<Terminal> attached() {
        java.io.Console console = System.console();
        if (console == null) {
            return Optional.empty();
        }
        return Optional.of(prompt -> Optional.ofNullable(console.readLine("%s", prompt)));
    }
}
