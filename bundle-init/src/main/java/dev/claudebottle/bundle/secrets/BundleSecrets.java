package dev.claudebottle.bundle.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The secrets the launcher streams into the bundle after start: token values by {@code token_ref}
 * name and SSH private keys by git entry name.
 *
 * <p>Values are kept as bytes and never appear in {@link #toString()}, logs or exceptions.
 */
public final class BundleSecrets {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BundleSecrets EMPTY = new BundleSecrets(Map.of(), Map.of());

    private final Map<String, byte[]> tokens;
    private final Map<String, byte[]> sshKeys;

    BundleSecrets(Map<String, byte[]> tokens, Map<String, byte[]> sshKeys) {
        this.tokens = copy(tokens);
        this.sshKeys = copy(sshKeys);
    }

    /** Returns a set with no secrets, used when none arrived in time. */
    public static BundleSecrets empty() {
        return EMPTY;
    }

    /** Returns a copy of the token stored under a {@code token_ref} name. */
    public Optional<byte[]> token(String tokenRef) {
        return Optional.ofNullable(tokens.get(tokenRef)).map(byte[]::clone);
    }

    /** Returns a copy of the SSH private key (OpenSSH or PEM text) for a git entry. */
    public Optional<byte[]> sshKey(String gitEntryName) {
        return Optional.ofNullable(sshKeys.get(gitEntryName)).map(byte[]::clone);
    }

    /** Returns the names of the tokens present, for logs (names are not secret). */
    public Set<String> tokenNames() {
        return tokens.keySet();
    }

    /** Returns the git entry names that have a key, for logs. */
    public Set<String> sshKeyNames() {
        return sshKeys.keySet();
    }

    /** Returns these secrets with the names of {@code other} added; where both have a name, other's value wins. */
    BundleSecrets plus(BundleSecrets other) {
        Map<String, byte[]> mergedTokens = new TreeMap<>(tokens);
        mergedTokens.putAll(other.tokens);
        Map<String, byte[]> mergedKeys = new TreeMap<>(sshKeys);
        mergedKeys.putAll(other.sshKeys);
        return new BundleSecrets(mergedTokens, mergedKeys);
    }

    /** Returns the JSON document that {@link SecretDrop} stores; the caller clears the array after use. */
    byte[] toDocument() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode tokenNode = root.putObject("tokens");
        tokens.forEach((name, value) -> tokenNode.put(name, new String(value, StandardCharsets.UTF_8)));
        ObjectNode keyNode = root.putObject("ssh_keys");
        sshKeys.forEach((name, value) -> keyNode.put(name, new String(value, StandardCharsets.UTF_8)));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }

    @Override
    public String toString() {
        return "BundleSecrets[tokens=" + tokens.keySet() + ", sshKeys=" + sshKeys.keySet() + "]";
    }

    private static Map<String, byte[]> copy(Map<String, byte[]> source) {
        Map<String, byte[]> copy = new TreeMap<>();
        source.forEach((name, value) -> copy.put(name, Arrays.copyOf(value, value.length)));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
