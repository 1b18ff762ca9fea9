package dev.claudebottle.launcher.manifest.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads manifest frontmatter as the strict YAML subset: block maps and lists, strings, decimal
 * integers, {@code true}/{@code false}, {@code null}, and flow lists of scalars.
 *
 * <p>snakeyaml-engine does the parsing. This class adds what a manifest needs on top: it rejects
 * anchors, aliases, tags, block scalars ({@code |}, {@code >}), values spanning several lines,
 * flow maps, duplicate keys, and plain words that YAML 1.1 readers (PyYAML, for one) would
 * turn into booleans, numbers or dates while YAML 1.2 reads them as strings. Every problem is
 * reported with its line and column, not only the first.
 */
public final class StrictYaml {

    /** The largest frontmatter accepted; the example bottle's frontmatter is about 1 KB. */
    public static final int MAX_CHARS = 64 * 1024;
    /** The deepest nesting accepted: a bottle needs four levels (map, list, map, map). */
    static final int MAX_DEPTH = 6;

    private static final Pattern DECIMAL = Pattern.compile("0|[-+]?[1-9][0-9]*");
    private static final Pattern YAML11_BOOLEAN = Pattern.compile("y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF");
    private static final Pattern TRUE = Pattern.compile("true|True|TRUE");
    private static final Pattern FALSE = Pattern.compile("false|False|FALSE");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern OCTAL_OR_PADDED = Pattern.compile("[-+]?0[0-9_]+|[-+]?0o[0-7_]+");
    private static final Pattern HEX_OR_BINARY = Pattern.compile("[-+]?0x[0-9a-fA-F_]+|[-+]?0b[01_]+");
    private static final Pattern UNDERSCORED = Pattern.compile("[-+]?[0-9][0-9_]*_[0-9_]*");
    private static final Pattern SEXAGESIMAL = Pattern.compile("[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?");
    /**
     * Floats of YAML 1.1 as PyYAML reads them (one dot, so 192.0.2.10 stays text) and the YAML 1.2
     * exponent form such as 1e3.
     */
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+");
    private static final Pattern INFINITY_OR_NAN = Pattern.compile("[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
    /** The YAML 1.1 timestamp forms: a date, or a date and time with an optional zone. */
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}"
            + "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\\.[0-9]*)?"
            + "([ \\t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?");

    private final Problems problems;
    private final int firstLine;

    /**
     * @param problems where problems go, bound to the manifest file
     * @param firstLine the 1-based line of the file on which the YAML text starts
     */
    public StrictYaml(Problems problems, int firstLine) {
        this.problems = problems;
        this.firstLine = firstLine;
    }

    /**
     * Reads {@code text}, adding every problem found. Returns the top-level map, an empty map for
     * empty text, or nothing when the text is not a map or could not be read at all.
     */
    public Optional<YamlNode.Mapping> read(String text) {
        if (text.length() > MAX_CHARS) {
            problems.add(new Position(firstLine, 1), "the frontmatter is longer than " + MAX_CHARS + " characters",
                    "move long text into the body below the closing ---");
            return Optional.empty();
        }
        if (!scanEvents(text)) {
            return Optional.empty();
        }
        Node root;
        try {
            Composer composer = new Composer(settings(), new ParserImpl(settings(), new StreamReader(settings(), text)));
            root = composer.getSingleNode().orElse(null);
        } catch (YamlEngineException e) {
            addSyntaxProblem(e);
            return Optional.empty();
        }
        if (root == null) {
            return Optional.of(new YamlNode.Mapping(List.of(), new Position(firstLine, 1)));
        }
        YamlNode converted = convert(root);
        if (converted instanceof YamlNode.Mapping mapping) {
            return Optional.of(mapping);
        }
        if (converted != null) {
            problems.add(converted.position(), "the frontmatter is " + converted.describe() + ", not a map of keys",
                    "write one `key: value` per line");
        }
        return Optional.empty();
    }

    /**
     * Walks the parser's events for what the node tree no longer shows: anchors, aliases, explicit
     * tags, several documents and excessive nesting. Returns whether composing nodes is safe, which
     * it is not after a syntax error, an alias (it may be recursive) or too deep a nesting.
     */
    private boolean scanEvents(String text) {
        int depth = 0;
        int documents = 0;
        boolean composable = true;
        try {
            ParserImpl parser = new ParserImpl(settings(), new StreamReader(settings(), text));
            while (parser.hasNext()) {
                Event event = parser.next();
                Position at = position(event.getStartMark());
                if (event.getEventId() == Event.ID.DocumentStart && ++documents == 2) {
                    problems.add(at, "the frontmatter holds more than one YAML document",
                            "remove the '...' or '---' line inside the frontmatter");
                }
                if (event instanceof AliasEvent alias) {
                    addAliasProblem(alias, at);
                    composable = false;
                    continue;
                }
                if (event instanceof NodeEvent node && node.getAnchor().isPresent()) {
                    problems.add(at, "anchor &" + node.getAnchor().get() + " is not accepted",
                            "write the value out in full where it is needed");
                }
                Optional<String> tag = event instanceof ScalarEvent scalar ? scalar.getTag()
                        : event instanceof CollectionStartEvent start ? start.getTag() : Optional.empty();
                if (tag.isPresent()) {
                    problems.add(at, "tag " + tag.get() + " is not accepted",
                            "remove the tag; quote the value if it must stay text");
                }
                if (event instanceof CollectionStartEvent && ++depth > MAX_DEPTH) {
                    problems.add(at, "the values are nested more than " + MAX_DEPTH + " levels deep",
                            "manifests use at most a list of maps holding a map; flatten the value");
                    return false;
                }
                if (event.getEventId() == Event.ID.SequenceEnd || event.getEventId() == Event.ID.MappingEnd) {
                    depth--;
                }
            }
        } catch (YamlEngineException e) {
            addSyntaxProblem(e);
            return false;
        }
        return composable && documents <= 1;
    }

    private void addAliasProblem(AliasEvent alias, Position at) {
        String name = alias.getAlias().getValue();
        String fix = name.startsWith(".")
                ? "a wildcard host must be quoted: \"*" + name + "\""
                : "write the value out in full; quote it if a leading * was meant as text";
        problems.add(at, "alias *" + name + " is not accepted", fix);
    }

    private YamlNode convert(Node node) {
        Position at = position(node.getStartMark());
        if (node instanceof ScalarNode scalar) {
            return convertScalar(scalar, at);
        }
        if (node instanceof SequenceNode sequence) {
            return convertSequence(sequence, at);
        }
        return convertMapping((MappingNode) node, at);
    }

    private YamlNode convertSequence(SequenceNode sequence, Position at) {
        boolean flow = sequence.getFlowStyle() == FlowStyle.FLOW;
        List<YamlNode> items = new ArrayList<>();
        for (Node item : sequence.getValue()) {
            if (flow && !(item instanceof ScalarNode)) {
                problems.add(position(item.getStartMark()), "a flow list [...] holds a nested list or map",
                        "write the list in block style, one '- item' per line");
                continue;
            }
            YamlNode converted = convert(item);
            if (converted != null) {
                items.add(converted);
            }
        }
        return new YamlNode.Sequence(List.copyOf(items), at);
    }

    private YamlNode convertMapping(MappingNode mapping, Position at) {
        if (mapping.getFlowStyle() == FlowStyle.FLOW && !mapping.getValue().isEmpty()) {
            problems.add(at, "a flow map {...} is not accepted",
                    "write the map in block style, one `key: value` per line; quote the value if the braces are text");
            return null;
        }
        Map<String, Position> seen = new HashMap<>();
        List<YamlNode.Entry> entries = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Position keyAt = position(tuple.getKeyNode().getStartMark());
            String key = readKey(tuple.getKeyNode(), keyAt);
            YamlNode value = convert(tuple.getValueNode());
            if (key == null) {
                continue;
            }
            Position first = seen.putIfAbsent(key, keyAt);
            if (first != null) {
                problems.add(keyAt, "duplicate key '" + key + "' (first at line " + first.line() + ")",
                        "keep one of the two entries");
                continue;
            }
            if (value != null) {
                entries.add(new YamlNode.Entry(key, keyAt, value));
            }
        }
        return new YamlNode.Mapping(List.copyOf(entries), at);
    }

    private String readKey(Node keyNode, Position at) {
        if (!(keyNode instanceof ScalarNode scalar)) {
            problems.add(at, "a key is a list or map", "keys are plain names such as `env`");
            return null;
        }
        if (scalar.getScalarStyle() == ScalarStyle.PLAIN && "<<".equals(scalar.getValue())) {
            problems.add(at, "the merge key << is not accepted", "write the merged keys out in full");
            return null;
        }
        YamlNode key = convertScalar(scalar, at);
        if (key == null) {
            return null;
        }
        if (!(((YamlNode.Scalar) key).value() instanceof String text) || text.isEmpty()) {
            problems.add(at, "key " + key.describe() + " is not a name", "keys are plain names such as `env`");
            return null;
        }
        return text;
    }

    private YamlNode convertScalar(ScalarNode scalar, Position at) {
        ScalarStyle style = scalar.getScalarStyle();
        if (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED) {
            problems.add(at, "block scalar (" + (style == ScalarStyle.LITERAL ? "|" : ">") + ") is not accepted",
                    "write the value on one line; long text belongs in the body below the closing ---");
            return null;
        }
        int endLine = scalar.getEndMark().map(mark -> mark.getLine() + firstLine).orElse(at.line());
        if (endLine != at.line()) {
            problems.add(at, "the value continues over several lines", "write the value on one line");
            return null;
        }
        if (style != ScalarStyle.PLAIN) {
            return new YamlNode.Scalar(scalar.getValue(), at);
        }
        return resolvePlain(scalar.getValue(), at);
    }

    /**
     * Types a plain (unquoted) word. Only forms that YAML 1.1 and 1.2 read alike are accepted;
     * every other number-, boolean- or date-like word must be quoted, so that a manifest means
     * the same to YAML 1.1 and YAML 1.2 readers.
     */
    private YamlNode resolvePlain(String text, Position at) {
        if (NULL.matcher(text).matches()) {
            return new YamlNode.Scalar(null, at);
        }
        if (TRUE.matcher(text).matches() || FALSE.matcher(text).matches()) {
            return new YamlNode.Scalar(TRUE.matcher(text).matches(), at);
        }
        if (DECIMAL.matcher(text).matches()) {
            try {
                return new YamlNode.Scalar(Long.parseLong(text), at);
            } catch (NumberFormatException e) {
                problems.add(at, "number " + text + " is too large", "quote it (\"" + text + "\") if it is text");
                return null;
            }
        }
        String ambiguity = ambiguity(text);
        if (ambiguity != null) {
            problems.add(at, "bare word '" + text + "' " + ambiguity,
                    "quote it (\"" + text + "\") to mean text" + (YAML11_BOOLEAN.matcher(text).matches()
                            ? ", or write true or false to mean a switch" : ""));
            return null;
        }
        return new YamlNode.Scalar(text, at);
    }

    private static String ambiguity(String text) {
        if (YAML11_BOOLEAN.matcher(text).matches()) {
            return "is a boolean in YAML 1.1 but text in YAML 1.2";
        }
        if (OCTAL_OR_PADDED.matcher(text).matches()) {
            return "is an octal number in YAML 1.1 but not in YAML 1.2";
        }
        if (HEX_OR_BINARY.matcher(text).matches()) {
            return "is a hexadecimal, octal or binary number in YAML";
        }
        if (UNDERSCORED.matcher(text).matches()) {
            return "is a number with digit separators in YAML 1.1 but text in YAML 1.2";
        }
        if (SEXAGESIMAL.matcher(text).matches()) {
            return "is a base-60 number in YAML 1.1 (1:30 reads as 90)";
        }
        if (INFINITY_OR_NAN.matcher(text).matches()) {
            return "is an infinite or not-a-number float in YAML";
        }
        if (FLOAT.matcher(text).matches() && text.chars().anyMatch(Character::isDigit)) {
            return "reads as a floating-point number, which manifests do not use";
        }
        if (DATE.matcher(text).matches()) {
            return "is a date in YAML 1.1";
        }
        if (text.equals("=")) {
            return "is the value key in YAML 1.1";
        }
        return null;
    }

    private void addSyntaxProblem(YamlEngineException e) {
        if (e instanceof MarkedYamlEngineException marked) {
            String context = String.valueOf(marked.getContext());
            if (context.contains("alias") || context.contains("anchor")) {
                problems.add(position(marked.getContextMark().or(marked::getProblemMark)),
                        "a value starting with " + (context.contains("alias") ? "*" : "&")
                                + " is read as a YAML " + (context.contains("alias") ? "alias" : "anchor"),
                        "quote the value, such as \"*.example.com\"");
                return;
            }
            String unclosed = context.contains("flow sequence") ? "a [ list that starts here has no closing ]"
                    : context.contains("flow mapping") ? "a { map that starts here has no closing }"
                    : context.contains("quoted scalar") ? "a quoted value that starts here has no closing quote"
                    : null;
            if (unclosed != null && marked.getContextMark().isPresent()) {
                // The parser notices at the end of the document; the user's mistake is where it opened.
                problems.add(position(marked.getContextMark()), "invalid YAML: " + unclosed,
                        "close it on the same line, such as [a, b], or quote the value");
                return;
            }
            Position at = position(marked.getProblemMark().or(marked::getContextMark));
            String reason = marked.getProblem() == null ? "invalid YAML" : "invalid YAML: " + oneLine(marked.getProblem());
            problems.add(at, reason, syntaxFix(marked.getProblem()));
        } else {
            problems.add(new Position(firstLine, 1), "invalid YAML: " + oneLine(String.valueOf(e.getMessage())),
                    "remove control characters and check the syntax");
        }
    }

    private static String syntaxFix(String problem) {
        if (problem != null && problem.contains("'\\t'")) {
            return "indent with spaces, not tabs";
        }
        return "check the indentation and quote values that contain ': ', ' #' or start with a symbol";
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private Position position(Optional<Mark> mark) {
        return mark.map(m -> new Position(m.getLine() + firstLine, m.getColumn() + 1)).orElse(new Position(firstLine, 1));
    }

    private static LoadSettings settings() {
        return LoadSettings.builder()
                .setLabel("frontmatter")
                .setAllowDuplicateKeys(true)
                .setParseComments(false)
                .setUseMarks(true)
                .setCodePointLimit(MAX_CHARS * 2)
                .build();
    }
}
