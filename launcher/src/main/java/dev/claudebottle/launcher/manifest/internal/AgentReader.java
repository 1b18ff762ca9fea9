package dev.claudebottle.launcher.manifest.internal;

import dev.claudebottle.launcher.manifest.Agent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads one agent file's frontmatter. Besides {@code bottle} and {@code skills} it accepts the
 * keys of a Claude Code subagent file ({@code name}, {@code description}, {@code model},
 * {@code color}, {@code memory}) and ignores them, so one file can serve both.
 */
public final class AgentReader {

    public static final List<String> KEYS = List.of("bottle", "skills", "name", "description", "model", "color",
            "memory");
    /** A skill is a folder name under ~/.claude/skills/, so no path separators or dot-only names. */
    private static final Pattern SKILL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private AgentReader() {
    }

    /** Reads the agent {@code name}; returns nothing when a required value is missing or invalid. */
    public static Optional<Agent> read(String name, Path file, boolean fromRepository, YamlNode.Mapping root,
            String body, Problems problems) {
        Fields fields = Fields.of(root, "", KEYS, problems);
        Optional<String> bottle = fields.requiredString("bottle", "my-bottle");
        bottle.filter(value -> !ManifestNames.isValid(value)).ifPresent(value -> problems.add(fields.position("bottle"),
                "bottle '" + value + "' is not a valid bottle name", "bottle names are " + ManifestNames.rule()));
        List<String> skills = readSkills(fields, problems);
        if (bottle.isEmpty() || !ManifestNames.isValid(bottle.get())) {
            return Optional.empty();
        }
        return Optional.of(new Agent(name, file, fromRepository, bottle.get(), skills, body));
    }

    private static List<String> readSkills(Fields fields, Problems problems) {
        Optional<YamlNode.Sequence> list = fields.list("skills", "write one `- skill-name` per line below `skills:`");
        List<String> skills = new ArrayList<>();
        if (list.isEmpty()) {
            return skills;
        }
        Map<String, Position> seen = new HashMap<>();
        for (YamlNode item : list.get().items()) {
            if (!(item instanceof YamlNode.Scalar scalar && scalar.value() instanceof String skill)
                    || !SKILL.matcher(skill).matches()) {
                problems.add(item.position(), "skills entry " + item.describe() + " is not a skill name",
                        "write the name of a folder under ~/.claude/skills/, such as init-prd");
                continue;
            }
            if (seen.putIfAbsent(skill, item.position()) != null) {
                problems.add(item.position(), "skill " + skill + " is listed twice", "list it once");
                continue;
            }
            skills.add(skill);
        }
        return skills;
    }
}
