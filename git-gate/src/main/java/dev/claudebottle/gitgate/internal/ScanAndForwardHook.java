package dev.claudebottle.gitgate.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.claudebottle.gitgate.mirror.MirrorRepository;
import dev.claudebottle.gitgate.scan.Finding;
import dev.claudebottle.gitgate.scan.PushScanner;
import dev.claudebottle.gitgate.scan.ScanFailedException;
import dev.claudebottle.gitgate.upstream.UpstreamException;

/**
 * Pre-receive step of a push: scan the new objects, forward clean refs upstream, and move the
 * mirror's refs only for the refs the upstream accepted.
 *
 * <p>JGit calls it after the pack is stored and checked and before any ref moves. This hook
 * applies the accepted commands itself ({@link ReceiveCommand#execute(ReceivePack)}) while it
 * still holds the mirror's lock, so ReceivePack finds no command left to run. Every command it
 * does not accept ends as {@code REJECTED_OTHER_REASON} with a one-line reason.
 */
final class ScanAndForwardHook implements PreReceiveHook {

    private static final Logger LOG = LoggerFactory.getLogger(ScanAndForwardHook.class);
    private static final int MAX_REASON_CHARS = 900;

    private final MirrorRepository mirror;
    private final PushScanner scanner;

    ScanAndForwardHook(MirrorRepository mirror, PushScanner scanner) {
        this.mirror = mirror;
        this.scanner = scanner;
    }

    @Override
    public void onPreReceive(ReceivePack rp, Collection<ReceiveCommand> commands) {
        long started = System.nanoTime();
        List<ReceiveCommand> pending = ReceiveCommand.filter(commands, ReceiveCommand.Result.NOT_ATTEMPTED);
        if (pending.isEmpty()) {
            return;
        }
        PushLog log = new PushLog(mirror.name(), pending);
        mirror.lock().lock();
        try {
            List<ReceiveCommand> clean = scan(rp, pending, log);
            if (rp.isAtomic() && clean.size() != pending.size()) {
                rejectAll(clean, "atomic push aborted because another ref was rejected");
                clean = List.of();
            }
            if (!clean.isEmpty()) {
                forward(rp, clean, log);
            }
            for (ReceiveCommand command : clean) {
                if (command.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
                    recordLocally(rp, command);
                }
            }
        } finally {
            mirror.lock().unlock();
            LOG.info("{} durationMs={}", log.summary(pending), elapsedMillis(started));
        }
    }

    /**
     * Moves the mirror's ref for a command the upstream accepted. If that fails (another request
     * moved the ref meanwhile), the upstream still has the update, so the pusher is told to fetch
     * rather than to push again; the next refresh brings the mirror in line.
     */
    private void recordLocally(ReceivePack rp, ReceiveCommand command) {
        command.execute(rp);
        if (command.getResult() != ReceiveCommand.Result.OK) {
            LOG.warn("push repo={} ref={} accepted upstream, but the mirror's ref update failed: {} {}",
                    mirror.name(), command.getRefName(), command.getResult(), command.getMessage());
            reject(command, "the upstream accepted the update, but the gate could not record it ("
                    + command.getResult() + "); fetch to see the upstream's state");
        }
    }

    /** Runs the secret scan; returns the commands without findings, rejecting the others. */
    private List<ReceiveCommand> scan(ReceivePack rp, List<ReceiveCommand> pending, PushLog log) {
        PushScanner.Result result;
        long started = System.nanoTime();
        try {
            result = scanner.scan(mirror.repository(), pending);
        } catch (ScanFailedException e) {
            log.scanFailed(e.getMessage());
            LOG.warn("push repo={} secret scan failed: {}", mirror.name(), e.getMessage(), e);
            rejectAll(pending, "secret scan failed (" + e.getMessage() + "); push rejected, nothing was forwarded");
            return List.of();
        }
        log.scanned(result.objectsScanned(), result.findings().values().stream().mapToInt(List::size).sum(),
                elapsedMillis(started));

        List<ReceiveCommand> clean = new ArrayList<>();
        for (ReceiveCommand command : pending) {
            List<Finding> findings = result.findings().get(command);
            if (findings == null) {
                clean.add(command);
                continue;
            }
            for (Finding finding : findings) {
                rp.sendMessage("git-gate: gitleaks found a secret in " + command.getRefName() + ": " + finding.describe());
            }
            // NOTE: the rejected objects stay in the mirror's object store, unreachable, until a gc prunes them.
            reject(command, "gitleaks found " + findings.size() + (findings.size() == 1 ? " secret" : " secrets")
                    + ", first: " + findings.get(0).describe() + "; remove it from the new commits, then push again");
        }
        return clean;
    }

    /** Pushes the clean commands upstream and records each upstream verdict on its command. */
    private void forward(ReceivePack rp, List<ReceiveCommand> clean, PushLog log) {
        List<RemoteRefUpdate> updates = new ArrayList<>();
        try {
            for (ReceiveCommand command : clean) {
                updates.add(toRemoteUpdate(rp, command));
            }
        } catch (IOException e) {
            rejectAll(clean, "preparing the upstream push failed (" + e.getMessage() + ")");
            log.upstream("failed: " + e.getMessage(), 0);
            return;
        }

        PushResult result;
        long started = System.nanoTime();
        try {
            result = mirror.upstream().push(mirror.repository(), updates, rp.isAtomic());
        } catch (UpstreamException e) {
            rejectAll(clean, e.getMessage());
            log.upstream("failed: " + e.getMessage(), elapsedMillis(started));
            return;
        }
        relayUpstreamMessages(rp, result.getMessages());
        for (int i = 0; i < clean.size(); i++) {
            ReceiveCommand command = clean.get(i);
            RemoteRefUpdate update = result.getRemoteUpdate(command.getRefName());
            applyVerdict(command, update != null ? update : updates.get(i));
        }
        log.upstream(result.getRemoteUpdates().stream()
                .map(u -> u.getRemoteName() + "=" + u.getStatus()).toList().toString(), elapsedMillis(started));
    }

    /**
     * Builds the upstream update for one command. The expected old id makes the upstream update a
     * compare-and-swap, so a stale mirror cannot overwrite upstream work it has not fetched.
     * Force is passed on only when the client itself rewound the ref.
     */
    private static RemoteRefUpdate toRemoteUpdate(ReceivePack rp, ReceiveCommand command) throws IOException {
        boolean delete = command.getType() == ReceiveCommand.Type.DELETE;
        boolean force = command.getType() == ReceiveCommand.Type.UPDATE_NONFASTFORWARD;
        return new RemoteRefUpdate(rp.getRepository(), (String) null, delete ? null : command.getNewId(),
                command.getRefName(), force || delete, null, command.getOldId());
    }

    private static void applyVerdict(ReceiveCommand command, RemoteRefUpdate update) {
        switch (update.getStatus()) {
            case OK, UP_TO_DATE, NON_EXISTING -> {
                // Accepted (or already so) upstream: the caller moves the mirror's ref.
            }
            case REJECTED_NONFASTFORWARD -> reject(command,
                    "upstream rejected: non-fast-forward; fetch, merge or rebase, then push again");
            case REJECTED_NODELETE -> reject(command, "upstream rejected: deleting this ref is not allowed");
            case REJECTED_REMOTE_CHANGED -> reject(command, "upstream rejected: the ref changed upstream since the gate"
                    + " last fetched it (expected " + abbreviate(command.getOldId()) + "); fetch and push again");
            case REJECTED_OTHER_REASON -> reject(command, "upstream rejected: "
                    + (update.getMessage() == null ? "no reason given" : update.getMessage()));
            default -> reject(command, "upstream reported no result for this ref (" + update.getStatus() + ")");
        }
    }

    private static void relayUpstreamMessages(ReceivePack rp, String messages) {
        if (messages == null || messages.isBlank()) {
            return;
        }
        for (String line : messages.split("\r?\n|\r")) {
            if (!line.isBlank()) {
                rp.sendMessage("upstream: " + line.replaceAll("\\p{Cntrl}", " "));
            }
        }
    }

    private static void rejectAll(List<ReceiveCommand> commands, String reason) {
        commands.forEach(command -> reject(command, reason));
    }

    /** Rejects one command; the reason becomes one status line, so line breaks are removed. */
    private static void reject(ReceiveCommand command, String reason) {
        String line = reason.replaceAll("[\\p{Cntrl}]+", " ").strip();
        if (line.length() > MAX_REASON_CHARS) {
            line = line.substring(0, MAX_REASON_CHARS) + "...";
        }
        command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, line);
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static String abbreviate(ObjectId id) {
        return id.abbreviate(12).name();
    }

    /** Collects the facts of one push for its single log line. */
    private static final class PushLog {
        private final String repo;
        private final String refs;
        private int objectsScanned;
        private int findings;
        private String scan = "not-run";
        private String upstream = "not-contacted";
        private long scanMillis;
        private long upstreamMillis;

        PushLog(String repo, List<ReceiveCommand> commands) {
            this.repo = repo;
            this.refs = commands.stream().map(ReceiveCommand::getRefName).toList().toString();
        }

        void scanned(int objects, int findingCount, long millis) {
            objectsScanned = objects;
            findings = findingCount;
            scan = "ok";
            scanMillis = millis;
        }

        void scanFailed(String reason) {
            scan = "failed: " + reason;
        }

        void upstream(String result, long millis) {
            upstream = result;
            upstreamMillis = millis;
        }

        String summary(List<ReceiveCommand> commands) {
            Map<String, String> results = new java.util.LinkedHashMap<>();
            commands.forEach(c -> results.put(c.getRefName(), c.getResult().name()));
            return "push repo=" + repo + " refs=" + refs + " objectsScanned=" + objectsScanned + " findings=" + findings
                    + " scan=\"" + scan + "\" scanMs=" + scanMillis + " upstream=\"" + upstream + "\" upstreamMs=" + upstreamMillis
                    + " results=" + results;
        }
    }
}
