package dev.claudebottle.launcher.preflight;

import java.io.Console;
import java.util.Optional;

/** The user's terminal, for questions that must come from a person rather than from a pipe. */
public interface Terminal {

    /** Shows {@code prompt} and returns the line typed, or nothing at end of input. */
    Optional<String> readLine(String prompt);

    /**
     * Shows {@code prompt} and returns the line typed without echoing it, or nothing at end of
     * input; for {@code "?"} environment values, which may be secrets.
     */
    Optional<String> readSecret(String prompt);

    /** Returns the terminal of this process, when standard input and output both are one. */
    static Optional<Terminal> attached() {
        Console console = System.console();
        if (console == null) {
            return Optional.empty();
        }
        return Optional.of(new Terminal() {
            @Override
            public Optional<String> readLine(String prompt) {
                return Optional.ofNullable(console.readLine("%s", prompt));
            }

            @Override
            public Optional<String> readSecret(String prompt) {
                return Optional.ofNullable(console.readPassword("%s", prompt)).map(String::new);
            }
        });
    }
}
