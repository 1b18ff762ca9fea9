package dev.claudebottle.launcher.preflight;

import dev.claudebottle.launcher.LauncherException;
import java.util.Locale;
import java.util.Optional;

/** Asks {@code launch this agent? [y/N]} before anything is created. */
public final class Confirmation {

    public static final String QUESTION = "launch this agent? [y/N] ";

    private Confirmation() {
    }

    /**
     * Returns normally when the launch may go ahead: {@code --yes} was given, or the user typed
     * y or yes.
     *
     * @throws LauncherException when there is no terminal to ask on, or the response was not yes
     */
    public static void require(String agent, boolean assumeYes, Optional<Terminal> terminal) {
        if (assumeYes) {
            return;
        }
        if (terminal.isEmpty()) {
            throw new LauncherException("cannot ask whether to launch agent " + agent,
                    "standard input or output is not a terminal",
                    "pass --yes to launch without asking, or --dry-run to only print the plan");
        }
        String response = terminal.get().readLine(QUESTION).orElse("").strip().toLowerCase(Locale.ROOT);
        if (!response.equals("y") && !response.equals("yes")) {
            throw new LauncherException("agent " + agent + " not launched", "the response was not yes",
                    "run the command again and answer y, or pass --yes");
        }
    }
}
