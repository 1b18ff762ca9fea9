package dev.claudebottle.launcher.manifest.internal;

import dev.claudebottle.launcher.manifest.Agent;
import dev.claudebottle.launcher.manifest.HostEnvironment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads one manifest file from disk: size and encoding checks, frontmatter split, strict YAML,
 * then the bottle or agent keys. Every problem goes to the file's {@link Problems}.
 */
public final class ManifestFileReader {

    /** The largest manifest file read; the frontmatter limit is smaller, the prompt may be long. */
    public static final long MAX_FILE_BYTES = 1024 * 1024;

    private ManifestFileReader() {
    }

    public static Optional<BottleLayer> readBottle(String name, Path file, HostEnvironment host, Problems problems) {
        return readText(file, problems)
                .flatMap(content -> parse(content, problems))
                .map(parsed -> BottleReader.read(name, parsed.root(), parsed.body(), host, problems));
    }

    public static Optional<Agent> readAgent(String name, Path file, boolean fromRepository, Problems problems) {
        return readText(file, problems)
                .flatMap(content -> parse(content, problems))
                .flatMap(parsed -> AgentReader.read(name, file, fromRepository, parsed.root(), parsed.body(), problems));
    }

    /** Parses manifest text that is already in memory, as the fuzz tests and {@code edit} do. */
    public static Optional<Parsed> parse(String content, Problems problems) {
        Optional<Frontmatter> frontmatter = Frontmatter.split(content, problems);
        if (frontmatter.isEmpty()) {
            return Optional.empty();
        }
        return new StrictYaml(problems, frontmatter.get().firstYamlLine())
                .read(frontmatter.get().yaml())
                .map(root -> new Parsed(root, frontmatter.get().body()));
    }

    private static Optional<String> readText(Path file, Problems problems) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                problems.add(Position.FILE, "the file is larger than " + MAX_FILE_BYTES / 1024 + " KiB",
                        "shorten the prompt in the body");
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            problems.add(Position.FILE, "the file is not valid UTF-8", "save it as UTF-8");
        } catch (IOException e) {
            problems.add(Position.FILE, "the file cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", "check its permissions");
        }
        return Optional.empty();
    }

    /** Frontmatter that parsed as a map, and the body after it. */
    public record Parsed(YamlNode.Mapping root, String body) {
    }
}
