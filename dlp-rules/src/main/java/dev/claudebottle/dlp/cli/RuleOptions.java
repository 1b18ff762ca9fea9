package dev.claudebottle.dlp.cli;

import dev.claudebottle.dlp.RuleSet;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --rules} option shared by the subcommands. */
final class RuleOptions {
    @Option(names = "--rules", paramLabel = "FILE",
            description = "YAML rule file to use instead of the built-in rules.")
    Path rulesFile;

    RuleSet load() {
        return rulesFile == null ? RuleSet.builtIn() : RuleSet.load(rulesFile);
    }
}
