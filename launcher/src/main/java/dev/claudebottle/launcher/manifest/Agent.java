package dev.claudebottle.launcher.manifest;

import java.nio.file.Path;
import java.util.List;

/**
 * An agent manifest: which bottle it runs in, which skills it gets, and its system prompt.
 *
 * @param name the file name without {@code .md}
 * @param file the manifest file
 * @param fromRepository whether the file came from the current repository rather than the home folder
 * @param bottle the name of a bottle in the home folder
 * @param skills skill names, each a folder under {@code ~/.claude/skills/}
 * @param systemPrompt the body of the file
 */
public record Agent(String name, Path file, boolean fromRepository, String bottle, List<String> skills,
        String systemPrompt) {

    public Agent {
        skills = List.copyOf(skills);
    }
}
