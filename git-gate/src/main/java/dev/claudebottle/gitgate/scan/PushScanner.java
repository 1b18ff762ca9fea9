package dev.claudebottle.gitgate.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * Scans exactly what a push introduces: the commits (and annotated tags) that its commands make
 * reachable and that no existing ref of the repository already reaches. A new branch off old
 * history therefore scans only its own new commits.
 */
public final class PushScanner {

    private final GitleaksScanner gitleaks;
    private final Path scratchParent;

    /**
     * @param scratchParent directory under which each scan creates and then deletes its own
     *     scratch directory
     */
    public PushScanner(GitleaksScanner gitleaks, Path scratchParent) {
        this.gitleaks = gitleaks;
        this.scratchParent = scratchParent;
    }

    /**
     * Scans the objects {@code commands} introduce into {@code repo}. Call it after the pack is
     * received and before any ref moves.
     *
     * @throws ScanFailedException when the scan does not complete with a usable result
     */
    public Result scan(Repository repo, Collection<ReceiveCommand> commands) throws ScanFailedException {
        Path scratch = null;
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = walk.getObjectReader()) {
            Map<ReceiveCommand, Set<ObjectId>> introducedBy = introducedObjects(repo, walk, commands);
            Set<ObjectId> introduced = new LinkedHashSet<>();
            introducedBy.values().forEach(introduced::addAll);
            if (introduced.isEmpty()) {
                return new Result(0, Map.of());
            }

            scratch = Files.createTempDirectory(scratchParent, "scan-");
            Path source = Files.createDirectory(scratch.resolve("source"));
            ScanInputWriter writer = new ScanInputWriter(repo, reader, source);
            for (ObjectId id : introduced) {
                write(writer, walk, id);
            }
            List<GitleaksScanner.RawFinding> raw = gitleaks.scan(source, scratch);
            return new Result(introduced.size(), attribute(raw, introducedBy, writer));
        } catch (IOException e) {
            throw new ScanFailedException("preparing the secret scan failed (" + e.getMessage() + ")", e);
        } finally {
            deleteRecursively(scratch);
        }
    }

    private static Map<ReceiveCommand, Set<ObjectId>> introducedObjects(
            Repository repo, RevWalk walk, Collection<ReceiveCommand> commands) throws IOException {
        List<Ref> existing = repo.getRefDatabase().getRefs();
        Set<ObjectId> existingIds = new HashSet<>();
        for (Ref ref : existing) {
            if (ref.getObjectId() != null) {
                existingIds.add(ref.getObjectId());
            }
        }

        Map<ReceiveCommand, Set<ObjectId>> introducedBy = new LinkedHashMap<>();
        for (ReceiveCommand command : commands) {
            if (command.getType() == ReceiveCommand.Type.DELETE) {
                continue;
            }
            introducedBy.put(command, introducedBy(walk, command.getNewId(), existingIds));
        }
        return introducedBy;
    }

    /** Lists new tag objects on the way to the target, then the new commits behind it. */
    private static Set<ObjectId> introducedBy(RevWalk walk, ObjectId newId, Set<ObjectId> existingIds) throws IOException {
        Set<ObjectId> introduced = new LinkedHashSet<>();
        RevObject target = walk.parseAny(newId);
        while (target instanceof RevTag tag) {
            if (!existingIds.contains(tag)) {
                introduced.add(tag.copy());
            }
            target = walk.parseAny(tag.getObject());
        }
        if (!(target instanceof RevCommit)) {
            if (!existingIds.contains(target)) {
                introduced.add(target.copy());
            }
            return introduced;
        }

        walk.reset();
        walk.markStart((RevCommit) target);
        for (ObjectId id : existingIds) {
            RevObject peeled = walk.peel(walk.parseAny(id));
            if (peeled instanceof RevCommit commit) {
                walk.markUninteresting(commit);
            }
        }
        for (RevCommit commit : walk) {
            introduced.add(commit.copy());
        }
        return introduced;
    }

    private static void write(ScanInputWriter writer, RevWalk walk, ObjectId id) throws IOException {
        RevObject object = walk.parseAny(id);
        if (object instanceof RevCommit commit) {
            writer.writeCommit(commit);
        } else if (object instanceof RevTag tag) {
            writer.writeTagMessage(tag);
        } else if (object instanceof RevTree tree) {
            writer.writeTree(tree);
        } else {
            writer.writeBlob(object);
        }
    }

    /** Maps each finding back to its object and to every command that introduced that object. */
    private static Map<ReceiveCommand, List<Finding>> attribute(
            List<GitleaksScanner.RawFinding> raw, Map<ReceiveCommand, Set<ObjectId>> introducedBy, ScanInputWriter writer)
            throws ScanFailedException {
        Map<ReceiveCommand, List<Finding>> byCommand = new LinkedHashMap<>();
        for (GitleaksScanner.RawFinding finding : raw) {
            Finding located = locate(finding, writer);
            ObjectId object = ObjectId.fromString(located.objectId());
            introducedBy.forEach((command, objects) -> {
                if (objects.contains(object)) {
                    byCommand.computeIfAbsent(command, c -> new ArrayList<>()).add(located);
                }
            });
        }
        return byCommand;
    }

    /** Turns a scan-directory path ({@code <id>/files/<n>}, {@code <id>/message}, ...) back into repository terms. */
    private static Finding locate(GitleaksScanner.RawFinding raw, ScanInputWriter writer) throws ScanFailedException {
        String[] parts = raw.file().split("/", 3);
        if (parts.length < 2 || !ObjectId.isId(parts[0])) {
            throw new ScanFailedException("gitleaks reported a file outside the scan input: " + Finding.printable(raw.file()));
        }
        String file = switch (parts[1]) {
            case "files" -> writer.repositoryPath(raw.file());
            case "message" -> "(commit message)";
            case "tag-message" -> "(tag message)";
            default -> "(object)";
        };
        if (file == null) {
            throw new ScanFailedException("gitleaks reported a file the gate did not write: " + Finding.printable(raw.file()));
        }
        return new Finding(raw.ruleId(), file, raw.line(), parts[0]);
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: the scratch directory contains pushed content only, never gate secrets.
        }
    }

    /**
     * Outcome of a scan that ran to completion.
     *
     * @param objectsScanned commits and tags written to the scan input
     * @param findings per command, the findings in objects that command introduced; commands
     *     without findings are absent
     */
    public record Result(int objectsScanned, Map<ReceiveCommand, List<Finding>> findings) {
    }
}
