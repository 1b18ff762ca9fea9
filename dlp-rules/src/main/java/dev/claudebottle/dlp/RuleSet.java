package dev.claudebottle.dlp;

import dev.claudebottle.dlp.internal.RuleFileParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable, ordered set of {@link Rule}s with unique ids.
 *
 * <p>Rules are data: {@link #builtIn()} reads the YAML resource {@value #BUILT_IN_RESOURCE}, and
 * {@link #load(Path)} reads a file of the same format. A malformed file fails as a whole with a
 * {@link RuleFileException} naming the file, the rule id and the reason.
 */
public final class RuleSet {
    /** Class-path resource that contains the built-in rules. */
    public static final String BUILT_IN_RESOURCE = "/dev/claudebottle/dlp/rules.yaml";

    private static volatile RuleSet builtIn;

    private final List<Rule> rules;

    private RuleSet(List<Rule> rules) {
        Set<String> ids = new HashSet<>();
        for (Rule rule : rules) {
            if (!ids.add(rule.id())) {
                throw new IllegalArgumentException("duplicate rule id '" + rule.id() + "'");
            }
        }
        this.rules = List.copyOf(rules);
    }

    /** Creates a rule set from rules built in code. */
    public static RuleSet of(List<Rule> rules) {
        try {
            return new RuleSet(rules);
        } catch (IllegalArgumentException e) {
            throw new DlpException(e.getMessage(), e);
        }
    }

    /** Returns the built-in rules, loaded once from {@value #BUILT_IN_RESOURCE}. */
    public static RuleSet builtIn() {
        RuleSet result = builtIn;
        if (result == null) {
            synchronized (RuleSet.class) {
                result = builtIn;
                if (result == null) {
                    result = loadBuiltIn();
                    builtIn = result;
                }
            }
        }
        return result;
    }

    private static RuleSet loadBuiltIn() {
        try (InputStream in = RuleSet.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
            if (in == null) {
                throw new RuleFileException(BUILT_IN_RESOURCE, null, "resource not found on the class path; rebuild the dlp-rules jar");
            }
            return parse(BUILT_IN_RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RuleFileException(BUILT_IN_RESOURCE, null, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Loads a YAML rule file. */
    public static RuleSet load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuleFileException(file.toString(), null, "cannot read: " + e, e);
        }
        return parse(file.toString(), text);
    }

    /** Parses rule-file text; {@code source} names the text in error messages. */
    public static RuleSet parse(String source, String yaml) {
        List<Rule> rules = new RuleFileParser(source).parse(yaml);
        try {
            return new RuleSet(rules);
        } catch (IllegalArgumentException e) {
            throw new RuleFileException(source, null, e.getMessage(), e);
        }
    }

    /** Returns the rules in file order. */
    public List<Rule> rules() {
        return rules;
    }

    /** Returns the rule with this id, or null. */
    public Rule rule(String id) {
        for (Rule rule : rules) {
            if (rule.id().equals(id)) {
                return rule;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "RuleSet[" + rules.size() + " rules]";
    }
}
