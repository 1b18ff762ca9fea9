package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.manifest.ManifestLocations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.Command;

@Command(name = "init",
        mixinStandardHelpOptions = true,
        header = "Create ~/.claude-bottle with an example bottle and agent.",
        description = {
            "Create the manifest folders with a commented example bottle and agent, both named example. Existing files are never overwritten.",
            ""},
        footerHeading = "%nExamples:%n",
        footer = {
            "  claude-bottle init",
            "  CLAUDE_BOTTLE_HOME=/tmp/bottles claude-bottle init   scaffold another folder"})
final class InitCommand extends ManifestCommand implements Runnable {

    static final String EXAMPLE = "example";

    @Override
    public void run() {
        ManifestLocations locations = context().locations();
        create(locations.bottlesFolder().resolve(EXAMPLE + ".md"), "example-bottle.md");
        create(locations.agentsFolder().resolve(EXAMPLE + ".md"), "example-agent.md");
        out().println("next: read the comments in both files, export CLAUDE_BOTTLE_OAUTH_TOKEN (Claude Code's token, "
                + "which the example bottle's cred-proxy route injects), then run `claude-bottle start example --dry-run`");
        out().flush();
    }

    private void create(Path file, String template) {
        try {
            Files.createDirectories(file.getParent());
            byte[] content = template(template);
            // CREATE_NEW fails if the file exists, so a file made between a check and the write survives too.
            Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            out().println("created " + file);
        } catch (FileAlreadyExistsException e) {
            out().println("kept    " + file + " (it exists)");
        } catch (IOException e) {
            throw new LauncherException("cannot create " + file, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    "check that the folder is writable, or set CLAUDE_BOTTLE_HOME to another folder", e);
        }
    }

    private static byte[] template(String name) throws IOException {
        try (InputStream input = InitCommand.class.getResourceAsStream("/dev/claudebottle/launcher/init/" + name)) {
            if (input == null) {
                throw new IOException("template " + name + " is missing from the jar");
            }
            return input.readAllBytes();
        }
    }
}
