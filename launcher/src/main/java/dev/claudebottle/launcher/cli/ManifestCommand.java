package dev.claudebottle.launcher.cli;

import dev.claudebottle.launcher.manifest.ManifestCatalog;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The shared part of the subcommands: the context, the output streams and manifest loading. */
abstract class ManifestCommand {

    @ParentCommand
    LauncherCommand launcher;

    @Spec
    CommandSpec spec;

    LauncherContext context() {
        return launcher.context();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Loads every manifest and prints the warnings about skipped files on standard error. */
    ManifestCatalog loadCatalog() {
        ManifestCatalog catalog = context().loadCatalog();
        catalog.warnings().forEach(warning -> err().println(LauncherMain.NAME + ": warning: " + warning));
        return catalog;
    }
}
