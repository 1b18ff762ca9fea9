package dev.claudebottle.bundle.services;

import dev.claudebottle.bundle.supervision.ServiceStartException;
import dev.claudebottle.dlp.GitleaksExport;
import dev.claudebottle.dlp.RuleSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the gitleaks config git-gate scans with: dlp-rules' rules on top of gitleaks' defaults. */
final class GitleaksRules {

    private GitleaksRules() {
    }

    static Path write(Path file) throws ServiceStartException {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, GitleaksExport.of(RuleSet.builtIn()).toml());
            return file;
        } catch (IOException e) {
            throw new ServiceStartException("git-gate: cannot write the gitleaks config " + file, e);
        }
    }
}
