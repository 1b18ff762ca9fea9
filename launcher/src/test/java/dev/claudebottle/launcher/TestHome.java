package dev.claudebottle.launcher;

import dev.claudebottle.launcher.manifest.HostEnvironment;
import dev.claudebottle.launcher.manifest.ManifestCatalog;
import dev.claudebottle.launcher.manifest.ManifestLocations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A user's home folder in a temporary directory, with manifest files written by the test and
 * an environment map standing in for the host's variables.
 */
public final class TestHome {

    /** A real ed25519 host key's shape: the blob names ssh-ed25519. */
    public static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIpEfyG4+bdEsF6yygiWG/Dezo/EKQ5DtILJHdSKnc+r";

    public final Path root;
    public final Path userHome;
    public final Path bottleHome;
    public final Path workingDirectory;
    public final Map<String, String> env = new HashMap<>();

    public TestHome(Path temporaryFolder) {
        this.root = temporaryFolder;
        this.userHome = temporaryFolder.resolve("user");
        this.bottleHome = userHome.resolve(".claude-bottle");
        this.workingDirectory = temporaryFolder.resolve("work");
        createDirectories(workingDirectory);
        createDirectories(bottleHome.resolve("bottles"));
        createDirectories(bottleHome.resolve("agents"));
    }

    /** Wraps {@code yaml} and {@code body} into a manifest file's text. */
    public static String manifest(String yaml, String body) {
        return "---\n" + yaml + (yaml.endsWith("\n") || yaml.isEmpty() ? "" : "\n") + "---\n" + body;
    }

    public Path bottle(String name, String yaml) {
        return write(bottleHome.resolve("bottles").resolve(name + ".md"), manifest(yaml, "The " + name + " bottle.\n"));
    }

    public Path agent(String name, String yaml) {
        return write(bottleHome.resolve("agents").resolve(name + ".md"), manifest(yaml, "You are " + name + ".\n"));
    }

    /** Creates a made-up private key file and returns its path. */
    public Path keyFile(String name) {
        return write(userHome.resolve(".ssh").resolve(name),
                "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n");
    }

    /** Creates a skill folder under ~/.claude/skills. */
    public Path skill(String name) {
        Path folder = userHome.resolve(".claude").resolve("skills").resolve(name);
        createDirectories(folder);
        write(folder.resolve("SKILL.md"), "---\nname: " + name + "\n---\nA skill.\n");
        return folder;
    }

    public HostEnvironment host() {
        return new HostEnvironment(env, userHome);
    }

    public ManifestLocations locations() {
        return ManifestLocations.discover(env, userHome, workingDirectory);
    }

    public ManifestCatalog catalog() {
        return ManifestCatalog.load(locations(), host());
    }

    public static Path write(Path file, String content) {
        createDirectories(file.getParent());
        try {
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void createDirectories(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
