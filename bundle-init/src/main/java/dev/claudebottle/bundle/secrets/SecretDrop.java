package dev.claudebottle.bundle.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hand-over point for secrets: a file in the bundle's tmpfs that {@code bundle-init
 * receive-secrets} writes from its standard input (fed by the launcher through {@code docker exec
 * -i}). The bundle reads it at start, and again on SIGHUP, so tokens added with {@code
 * receive-secrets --add} reach a running bundle.
 *
 * <p>The document is JSON: {@code {"tokens": {"GH_PAT": "..."}, "ssh_keys": {"repo": "-----BEGIN
 * ..."}}}. It never travels on a command line or in an environment variable, so {@code docker
 * inspect} and {@code ps} show none of it, and the tmpfs keeps it off the host's disk.
 */
public final class SecretDrop {

    /** The file name inside the secrets directory. */
    public static final String FILE_NAME = "secrets.json";

    /** Upper bound for the document: tokens and a few SSH keys fit many times over. */
    static final int MAX_BYTES = 1 << 20;

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;

    public SecretDrop(Path directory) {
        this.directory = directory;
    }

    /**
     * Validates a secrets document from {@code input} and stores it for the bundle, readable by
     * its owner only, in place of any earlier document.
     *
     * @throws SecretException when the document is too large, not JSON, or has unknown keys;
     *     the message names the problem and never a value
     */
    public BundleSecrets receive(InputStream input) throws SecretException {
        BundleSecrets secrets = parse(readLimited(input));
        store(secrets);
        return secrets;
    }

    /**
     * Validates a secrets document from {@code input} and adds its names to the stored ones; a
     * name that is stored already takes the new value. A running bundle applies the result on
     * its next SIGHUP.
     *
     * @return the secrets stored now, old and new
     * @throws SecretException as {@link #receive}, and when the stored document cannot be read
     */
    public BundleSecrets add(InputStream input) throws SecretException {
        BundleSecrets added = parse(readLimited(input));
        BundleSecrets merged = current().map(stored -> stored.plus(added)).orElse(added);
        store(merged);
        return merged;
    }

    /**
     * Returns the stored secrets, or empty when none were received yet.
     *
     * @throws SecretException when the stored document cannot be read or parsed
     */
    public Optional<BundleSecrets> current() throws SecretException {
        Path file = directory.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new SecretException("cannot read " + file, e);
        }
    }

    private static byte[] readLimited(InputStream input) throws SecretException {
        byte[] document;
        try {
            document = input.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new SecretException("cannot read the secrets document from standard input", e);
        }
        if (document.length > MAX_BYTES) {
            throw new SecretException("the secrets document is larger than " + MAX_BYTES
                    + " bytes; send only token values and SSH private keys");
        }
        return document;
    }

    /**
     * Waits up to {@code timeout} for the launcher's document and reads it, or returns empty when
     * none arrived in time.
     */
    public Optional<BundleSecrets> await(Duration timeout) throws SecretException, InterruptedException {
        Path file = directory.resolve(FILE_NAME);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() >= deadline) {
                return Optional.empty();
            }
            // The file appears through an atomic rename by another process; polling every 50 ms
            // is simpler than a WatchService on a tmpfs and costs nothing measurable.
            Thread.sleep(50);
        }
        return current();
    }

    static BundleSecrets parse(byte[] document) throws SecretException {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            // The parser's message can quote the document, so it is not passed on.
            throw new SecretException("the secrets document is not valid JSON (at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new SecretException("cannot parse the secrets document", e);
        }
        if (root == null || !root.isObject()) {
            throw new SecretException("the secrets document must be a JSON object with \"tokens\" and \"ssh_keys\"");
        }
        Iterator<String> keys = root.fieldNames();
        while (keys.hasNext()) {
            String key = keys.next();
            if (!key.equals("tokens") && !key.equals("ssh_keys")) {
                throw new SecretException("unknown key \"" + key
                        + "\" in the secrets document; the valid keys are tokens and ssh_keys");
            }
        }
        return new BundleSecrets(section(root, "tokens"), section(root, "ssh_keys"));
    }

    private static Map<String, byte[]> section(JsonNode root, String key) throws SecretException {
        Map<String, byte[]> values = new LinkedHashMap<>();
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            throw new SecretException("\"" + key + "\" in the secrets document must be an object of names to strings");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!NAME.matcher(field.getKey()).matches()) {
                throw new SecretException("invalid name in \"" + key + "\" of the secrets document: "
                        + "use letters, digits, '_', '.' or '-', starting with a letter or '_'");
            }
            if (!field.getValue().isTextual() || field.getValue().textValue().isEmpty()) {
                throw new SecretException(key + "." + field.getKey() + " must be a non-empty string");
            }
            values.put(field.getKey(), field.getValue().textValue().getBytes(StandardCharsets.UTF_8));
        }
        return values;
    }

    private void store(BundleSecrets secrets) throws SecretException {
        Path target = directory.resolve(FILE_NAME);
        Path temporary = directory.resolve("." + FILE_NAME + ".tmp");
        byte[] document = secrets.toDocument();
        try {
            Files.createDirectories(directory);
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temporary, document, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new SecretException("another receive-secrets is writing " + temporary + "; try again", e);
        } catch (IOException e) {
            throw new SecretException("cannot store the secrets in " + directory
                    + "; the bundle needs it writable (a tmpfs mount)", e);
        } finally {
            Arrays.fill(document, (byte) 0);
        }
    }
}
