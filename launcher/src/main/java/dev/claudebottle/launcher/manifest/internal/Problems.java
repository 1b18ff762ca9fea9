package dev.claudebottle.launcher.manifest.internal;

import dev.claudebottle.launcher.manifest.ManifestProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one manifest file, so that a run reports all of them at once. */
public final class Problems {

    private final Path file;
    private final List<ManifestProblem> found = new ArrayList<>();

    public Problems(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public void add(Position position, String reason, String fix) {
        found.add(new ManifestProblem(file, position.line(), position.column(), reason, fix));
    }

    public void addAll(List<ManifestProblem> problems) {
        found.addAll(problems);
    }

    public int count() {
        return found.size();
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public List<ManifestProblem> list() {
        return List.copyOf(found);
    }
}
