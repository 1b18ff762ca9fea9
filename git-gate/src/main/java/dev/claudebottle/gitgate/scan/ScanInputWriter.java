package dev.claudebottle.gitgate.scan;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * Writes the text a push adds into a scan directory that gitleaks reads with {@code --no-git}.
 *
 * <p>Layout, with every object under its own id so nothing pushed can reach the directory's
 * root (where gitleaks would read a {@code .gitleaksignore}):
 * <ul>
 *   <li>{@code <commit>/message}: the commit message;</li>
 *   <li>{@code <commit>/files/<n>}: each file the commit changed, with the lines it added at
 *       their original line numbers and every other line left empty, so findings carry true line
 *       numbers while old lines are not scanned again;</li>
 *   <li>{@code <tag>/tag-message}: an annotated tag's message;</li>
 *   <li>{@code <tree>/files/<n>} and {@code <blob>/blob}: a ref pointing straight at a tree or
 *       blob, written whole.</li>
 * </ul>
 * Files get numbers, not their repository paths, and {@link #repositoryPath(String)} maps them
 * back. gitleaks' path allowlists (its defaults skip {@code vendor/}, {@code *.pdf} and more)
 * would otherwise let a pusher exempt content by choosing its file name.
 * Binary files are scanned like text. {@code git log -p} would show them only as "Binary files
 * differ" (a NUL byte in the first 8000 bytes), so one NUL byte would hide a whole file from a
 * git-mode scan. Every {@code gitleaks:allow} marker is defused.
 */
final class ScanInputWriter {

    /** Above this size a file is written whole instead of diffed, to bound memory per file. */
    static final int DIFF_LIMIT_BYTES = 8 * 1024 * 1024;

    private final Repository repo;
    private final ObjectReader reader;
    private final Path scanRoot;
    private final DiffAlgorithm diffAlgorithm = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM);
    private final Map<String, String> repositoryPaths = new HashMap<>();

    ScanInputWriter(Repository repo, ObjectReader reader, Path scanRoot) {
        this.repo = repo;
        this.reader = reader;
        this.scanRoot = scanRoot;
    }

    /**
     * Returns the repository path of a scan file given relative to the scan root
     * ({@code <id>/files/<n>}), or null when it is not a file this writer numbered.
     */
    String repositoryPath(String scanPath) {
        return repositoryPaths.get(scanPath);
    }

    /** Writes the message and the added lines of one commit. */
    void writeCommit(RevCommit commit) throws IOException {
        Path base = scanRoot.resolve(commit.name());
        Files.createDirectories(base);
        writeText(base.resolve("message"), commit.getFullMessage());

        if (commit.getParentCount() <= 1) {
            ObjectId parentTree = commit.getParentCount() == 0 ? null : commit.getParent(0).getTree();
            for (DiffEntry entry : diff(parentTree, commit.getTree(), true)) {
                if (isScannableTarget(entry)) {
                    ObjectId old = entry.getChangeType() == DiffEntry.ChangeType.ADD ? null : entry.getOldId().toObjectId();
                    writeAddedLines(base, entry.getNewPath(), entry.getNewId().toObjectId(), old == null ? List.of() : List.of(old), false);
                }
            }
            return;
        }
        writeMergeCommit(base, commit);
    }

    /**
     * Writes what a merge adds beyond all of its parents: a line counts only when it is new
     * relative to every parent, as in {@code git diff --cc}, so merging an old branch does not
     * rescan that branch's history.
     */
    private void writeMergeCommit(Path base, RevCommit commit) throws IOException {
        for (DiffEntry entry : diff(commit.getParent(0).getTree(), commit.getTree(), false)) {
            if (!isScannableTarget(entry)) {
                continue;
            }
            ObjectId newId = entry.getNewId().toObjectId();
            List<ObjectId> olds = new ArrayList<>();
            boolean missingInSomeParent = entry.getChangeType() == DiffEntry.ChangeType.ADD;
            if (!missingInSomeParent) {
                olds.add(entry.getOldId().toObjectId());
            }
            boolean unchangedFromSomeParent = false;
            for (int i = 1; i < commit.getParentCount(); i++) {
                ObjectId inParent = blobAt(commit.getParent(i), entry.getNewPath());
                if (inParent == null) {
                    missingInSomeParent = true;
                } else if (inParent.equals(newId)) {
                    unchangedFromSomeParent = true;
                } else {
                    olds.add(inParent);
                }
            }
            if (!unchangedFromSomeParent) {
                writeAddedLines(base, entry.getNewPath(), newId, olds, missingInSomeParent && olds.isEmpty());
            }
        }
    }

    /** Writes an annotated tag's message. */
    void writeTagMessage(RevTag tag) throws IOException {
        Path base = scanRoot.resolve(tag.name());
        Files.createDirectories(base);
        writeText(base.resolve("tag-message"), tag.getFullMessage());
    }

    /** Writes every file of a tree whole (a ref that points straight at a tree). */
    void writeTree(ObjectId tree) throws IOException {
        Path base = scanRoot.resolve(tree.name());
        try (TreeWalk walk = new TreeWalk(repo, reader)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                if (isScannableMode(walk.getFileMode(0))) {
                    writeAddedLines(base, walk.getPathString(), walk.getObjectId(0), List.of(), true);
                }
            }
        }
    }

    /** Writes a blob whole (a ref that points straight at a blob). */
    void writeBlob(ObjectId blob) throws IOException {
        Path base = scanRoot.resolve(blob.name());
        Files.createDirectories(base);
        writeWhole(base.resolve("blob"), reader.open(blob, Constants.OBJ_BLOB));
    }

    private List<DiffEntry> diff(ObjectId oldTree, ObjectId newTree, boolean detectRenames) throws IOException {
        try (DiffFormatter formatter = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            formatter.setReader(reader, repo.getConfig());
            formatter.setDetectRenames(detectRenames);
            return formatter.scan(oldTree, newTree);
        }
    }

    private ObjectId blobAt(RevCommit parent, String path) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repo, reader, path, parent.getTree())) {
            if (walk == null || !isScannableMode(walk.getFileMode(0))) {
                return null;
            }
            return walk.getObjectId(0);
        }
    }

    private static boolean isScannableTarget(DiffEntry entry) {
        return entry.getChangeType() != DiffEntry.ChangeType.DELETE && isScannableMode(entry.getNewMode());
    }

    /** Regular files, executables and symlinks carry text; gitlinks (submodules) and trees do not. */
    private static boolean isScannableMode(FileMode mode) {
        return FileMode.REGULAR_FILE.equals(mode) || FileMode.EXECUTABLE_FILE.equals(mode) || FileMode.SYMLINK.equals(mode);
    }

    /**
     * Writes {@code path} from blob {@code newId} keeping only lines that are new relative to
     * every blob in {@code olds}; with no olds (or {@code whole}) every line counts as new.
     */
    private void writeAddedLines(Path base, String path, ObjectId newId, List<ObjectId> olds, boolean whole)
            throws IOException {
        Path target = numberedTarget(base, path);
        ObjectLoader newLoader = reader.open(newId, Constants.OBJ_BLOB);
        boolean large = newLoader.getSize() > DIFF_LIMIT_BYTES;
        for (ObjectId old : olds) {
            large |= reader.getObjectSize(old, Constants.OBJ_BLOB) > DIFF_LIMIT_BYTES;
        }
        if (whole || olds.isEmpty() || large) {
            // NOTE: a file above DIFF_LIMIT_BYTES is scanned whole, so an old secret in it is reported again.
            writeWhole(target, newLoader);
            return;
        }

        RawText newText = new RawText(newLoader.getCachedBytes(DIFF_LIMIT_BYTES));
        BitSet added = null;
        for (ObjectId old : olds) {
            BitSet addedVsOld = addedLines(new RawText(reader.open(old, Constants.OBJ_BLOB).getCachedBytes(DIFF_LIMIT_BYTES)), newText);
            if (added == null) {
                added = addedVsOld;
            } else {
                added.and(addedVsOld);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target))) {
            for (int i = 0; i < newText.size(); i++) {
                if (added.get(i)) {
                    out.write(AllowMarkerFilter.defuse(newText.getString(i)).getBytes(StandardCharsets.UTF_8));
                }
                out.write('\n');
            }
        }
    }

    private BitSet addedLines(RawText oldText, RawText newText) {
        BitSet added = new BitSet(newText.size());
        for (Edit edit : diffAlgorithm.diff(RawTextComparator.DEFAULT, oldText, newText)) {
            added.set(edit.getBeginB(), edit.getEndB());
        }
        return added;
    }

    /** Streams a blob to {@code target}, defusing allow markers on the way. */
    private static void writeWhole(Path target, ObjectLoader loader) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = loader.openStream();
                OutputStream out = new AllowMarkerFilter(new BufferedOutputStream(Files.newOutputStream(target)))) {
            in.transferTo(out);
        }
    }

    private static void writeText(Path target, String text) throws IOException {
        Files.writeString(target, AllowMarkerFilter.defuse(text), StandardCharsets.UTF_8);
    }

    /** Returns the next numbered file under {@code base/files} and records which path it stands for. */
    private Path numberedTarget(Path base, String path) {
        int number = repositoryPaths.size();
        repositoryPaths.put(base.getFileName() + "/files/" + number, path);
        return base.resolve("files").resolve(Integer.toString(number));
    }
}
