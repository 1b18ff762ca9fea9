package dev.claudebottle.gitgate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;

/** Commits straight into an upstream bare repository, as another developer's push would. */
public final class UpstreamCommits {

    private UpstreamCommits() {
    }

    /**
     * Commits a tree holding the single file {@code file} on top of {@code branch} and moves the
     * branch; returns the new commit id.
     */
    public static ObjectId commit(Repository repo, String branch, String file, String content) throws IOException {
        String refName = Constants.R_HEADS + branch;
        Ref current = repo.exactRef(refName);
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            ObjectId blob = inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
            TreeFormatter tree = new TreeFormatter();
            tree.append(file, FileMode.REGULAR_FILE, blob);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(inserter.insert(tree));
            PersonIdent ident = new PersonIdent("Upstream Dev", "dev@example.test");
            commit.setAuthor(ident);
            commit.setCommitter(ident);
            commit.setMessage("upstream change to " + file + "\n");
            if (current != null) {
                commit.setParentId(current.getObjectId());
            }
            ObjectId id = inserter.insert(commit);
            inserter.flush();

            RefUpdate update = repo.updateRef(refName);
            update.setNewObjectId(id);
            update.setExpectedOldObjectId(current == null ? ObjectId.zeroId() : current.getObjectId());
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD) {
                throw new IOException("moving " + refName + " failed: " + result);
            }
            if (current == null && repo.exactRef(Constants.HEAD).getTarget().getObjectId() == null) {
                repo.updateRef(Constants.HEAD).link(refName);
            }
            return id;
        }
    }

    /** Returns the id a ref points at, or null. */
    public static ObjectId head(Repository repo, String refName) throws IOException {
        Ref ref = repo.exactRef(refName);
        return ref == null ? null : ref.getObjectId();
    }
}
