package dev.claudebottle.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

@Command(name = "version",
        mixinStandardHelpOptions = true,
        header = "Print the version.",
        footerHeading = "%nExamples:%n",
        footer = "  claude-bottle version")
final class VersionCommand extends ManifestCommand implements Runnable {

    @Override
    public void run() {
        out().println(LauncherMain.NAME + " " + version());
    }

    /** The project version, written into the jar at build time. */
    static String version() {
        try (InputStream input = VersionCommand.class.getResourceAsStream("/dev/claudebottle/launcher/version.properties")) {
            if (input == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(input);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Supplies the text of {@code --version}. */
    static final class Provider implements IVersionProvider {

        @Override
        public String[] getVersion() {
            return new String[] {LauncherMain.NAME + " " + version()};
        }
    }
}
