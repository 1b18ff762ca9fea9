package dev.claudebottle.dlp.cli;

import dev.claudebottle.dlp.DlpException;
import dev.claudebottle.dlp.GitleaksExport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints (or writes) the rules as a gitleaks TOML config extending gitleaks' defaults. */
@Command(name = "export-gitleaks", mixinStandardHelpOptions = true,
        description = "Prints the rules as a gitleaks config (for gitleaks --config).")
final class ExportGitleaksCommand implements Callable<Integer> {
    @Mixin
    RuleOptions ruleOptions = new RuleOptions();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the TOML to FILE instead of standard output.")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        GitleaksExport export = GitleaksExport.of(ruleOptions.load());
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(export.toml());
            out.flush();
            return 0;
        }
        try {
            Files.writeString(output, export.toml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DlpException("cannot write " + output + ": " + e.getMessage() + "; check the directory exists and is writable", e);
        }
        return 0;
    }
}
