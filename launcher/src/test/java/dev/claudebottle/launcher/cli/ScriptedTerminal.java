package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.preflight.Terminal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** A terminal that answers from a script and records each prompt shown. */
public final class ScriptedTerminal implements Terminal {

    public final List<String> prompts = new ArrayList<>();
    private final Deque<String> answers;

    public ScriptedTerminal(String... answers) {
        this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public Optional<String> readLine(String prompt) {
        prompts.add(prompt);
        return Optional.ofNullable(answers.poll());
    }

    @Override
    public Optional<String> readSecret(String prompt) {
        return readLine(prompt);
    }
}
