package dev.claudebottle.launcher.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.SecretCheck;
import dev.claudebottle.supervise.audit.AuditLog;
import dev.claudebottle.supervise.queue.Decision;
import dev.claudebottle.supervise.queue.PreparedRequest;
import dev.claudebottle.supervise.queue.QueueException;
import dev.claudebottle.supervise.queue.QueuedRequest;
import dev.claudebottle.supervise.queue.RequestQueue;
import dev.claudebottle.supervise.queue.RequestValidator;
import dev.claudebottle.supervise.tools.SuperviseTools;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's side of supervise's request queues, for every bottle with a state folder: list the
 * pending requests, approve one (as sent or modified), or reject one. The terminal UI and the
 * {@code dashboard} commands both run on this class; it needs no terminal.
 *
 * <p>An approval applies the change first ({@link ApprovalApplier}) and writes the decision only when
 * that worked, so a failed apply leaves the request pending and the agent never hears "approved" for
 * a change that did not happen.
 */
public final class Dashboard {

    /** A pending request together with the bottle whose queue contains it. */
    public record Pending(BottleState bottle, QueuedRequest request) {

        public String id() {
            return request.id();
        }
    }

    /**
     * The result of a decision.
     *
     * @param messages lines for the operator: what was applied, and any step left to them
     */
    public record Outcome(Pending pending, Decision decision, List<String> messages) {
    }

    private final BottleDirectory directory;
    private final BottleControl control;
    private final ApprovalApplier applier;
    private final Clock clock;
    private final List<String> problems = new ArrayList<>();
    private RequestValidator validator;

    /** @param hostEnvironment the operator's environment, to say whether a route's token variable is set */
    public Dashboard(BottleDirectory directory, BottleControl control, Map<String, String> hostEnvironment, Clock clock) {
        this.directory = directory;
        this.control = control;
        this.applier = new ApprovalApplier(control, hostEnvironment);
        this.clock = clock;
    }

    /**
     * Lists the pending requests of all bottles, oldest first. A bottle whose queue cannot be read,
     * or a request file that cannot be, is skipped and named in {@link #problems()}.
     */
    public synchronized List<Pending> pending() {
        problems.clear();
        List<Pending> pending = new ArrayList<>();
        for (BottleState bottle : directory.list()) {
            try {
                for (QueuedRequest request : queue(bottle).listPending(
                        skipped -> problems.add("bottle " + bottle.identity() + ": " + skipped))) {
                    pending.add(new Pending(bottle, request));
                }
            } catch (QueueException e) {
                problems.add("bottle " + bottle.identity() + ": " + e.getMessage());
            }
        }
        pending.sort(Comparator.comparing((Pending p) -> p.request().createdAt()).thenComparing(Pending::id));
        return pending;
    }

    /**
     * Returns the running bottles that belong to this claude-bottle home: those with a state folder
     * here. Bottles of other homes on the same engine are not the operator's to attach to or stop.
     *
     * @throws DashboardException when the engine cannot be reached
     */
    public List<BottleControl.RunningBottle> runningBottles() {
        Set<String> mine = new HashSet<>();
        for (BottleState bottle : directory.list()) {
            mine.add(bottle.identity());
        }
        return control.running().stream().filter(bottle -> mine.contains(bottle.identity())).toList();
    }

    /** Returns the problems the last {@link #pending()} met, one line each. */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Finds a pending request by id in any bottle.
     *
     * @throws DashboardException when no bottle has it pending, naming its decision if it has one
     */
    public Pending requirePending(String id) {
        for (BottleState bottle : directory.list()) {
            RequestQueue queue = queue(bottle);
            Optional<QueuedRequest> request = queue.find(id);
            if (request.isEmpty()) {
                continue;
            }
            Optional<Decision> decision = queue.decision(id);
            if (decision.isPresent()) {
                throw new DashboardException("request " + id + " of bottle " + bottle.identity() + " is not pending",
                        "it was " + decision.get().status().name().toLowerCase(java.util.Locale.ROOT) + " at "
                                + decision.get().decidedAt(), "see the pending requests with `claude-bottle dashboard --once`");
            }
            return new Pending(bottle, request.get());
        }
        throw new DashboardException("request " + id + " not found", "no bottle's queue has a request with this id",
                "copy an id from `claude-bottle dashboard --once`");
    }

    /** Approves a request as the agent sent it, after applying its change. */
    public Outcome approve(String id, String note) {
        return approve(requirePending(id), note, null);
    }

    /**
     * Approves a request with the operator's modified input, which passes the tool's own validation
     * first; the proposal derived from it is what gets applied.
     */
    public Outcome approve(String id, String note, ObjectNode modifiedInput) {
        return approve(requirePending(id), note, modifiedInput);
    }

    /**
     * Approves a request, and with {@code allowPrivate} lets the approved host resolve to loopback,
     * private or link-local addresses (for a service on a network the bottle's bundle joined).
     *
     * @param modifiedInput the operator's input, or null to approve the request as sent
     * @throws DashboardException when {@code allowPrivate} is given for a request that allows no host
     */
    public Outcome approve(String id, String note, ObjectNode modifiedInput, boolean allowPrivate) {
        return approve(requirePending(id), note, modifiedInput, allowPrivate);
    }

    /**
     * Applies and approves {@code pending}.
     *
     * @param modifiedInput the operator's input, or null to approve the request as sent
     * @throws DashboardException when validation or the apply fails; the request stays pending then
     */
    public Outcome approve(Pending pending, String note, ObjectNode modifiedInput) {
        return approve(pending, note, modifiedInput, false);
    }

    private Outcome approve(Pending pending, String note, ObjectNode modifiedInput, boolean allowPrivate) {
        QueuedRequest request = pending.request();
        ObjectNode proposal = modifiedInput == null ? checkedProposal(request)
                : validate(request, modifiedInput).proposal();
        requireNoteFits(request, note);
        if (allowPrivate) {
            if (!"egress-allow".equals(proposal.path("kind").asText())) {
                throw new DashboardException("cannot approve request " + request.id() + " with --allow-private",
                        "only an egress-block request allows a host", "approve it without --allow-private");
            }
            proposal = proposal.deepCopy();
            proposal.put(ApprovalApplier.ALLOW_PRIVATE, true);
        }

        ApprovalApplier.Applied applied;
        try {
            applied = applier.apply(pending.bottle(), request, proposal);
        } catch (DashboardException e) {
            throw new DashboardException("request " + request.id() + " stays pending because applying it failed: "
                    + e.what(), e.why(), e.fix(), e);
        }

        RequestQueue queue = queue(pending.bottle());
        Decision decision;
        try {
            decision = modifiedInput == null ? queue.approve(request.id(), note)
                    : queue.approve(request.id(), note, modifiedInput);
        } catch (QueueException | UncheckedIOException e) {
            throw new DashboardException("the change of request " + request.id() + " was applied, but its approval "
                    + "was not recorded", e.getMessage(), "check the request with `claude-bottle dashboard --once`;"
                    + " the change stays in the bottle's overlay, remove it from " + pending.bottle().overlayFile()
                    + " if it should not stay", e);
        }

        List<String> messages = new ArrayList<>(applied.messages());
        try {
            queue.recordApplied(request, applied.before(), applied.after(), String.join("; ", applied.messages()));
        } catch (UncheckedIOException e) {
            messages.add("the audit log " + pending.bottle().auditLog() + " could not record the applied change: "
                    + e.getMessage());
        }
        return new Outcome(pending, decision, messages);
    }

    /**
     * Rejects a request; the agent is shown the reason.
     *
     * @throws DashboardException when the reason is missing or the decision cannot be written
     */
    public Outcome reject(String id, String reason) {
        Pending pending = requirePending(id);
        try {
            Decision decision = queue(pending.bottle()).reject(id, reason);
            return new Outcome(pending, decision, List.of("rejected request " + id + " of bottle "
                    + pending.bottle().identity()));
        } catch (QueueException | UncheckedIOException e) {
            throw new DashboardException("cannot reject request " + id, e.getMessage(),
                    "give a reason the agent can act on, then try again", e);
        }
    }

    /**
     * Checks a modified input with the tool's rules, the same ones supervise applies to the agent.
     *
     * @throws DashboardException with the validation message
     */
    public PreparedRequest validate(QueuedRequest request, ObjectNode modifiedInput) {
        try {
            return validator().validate(request.tool(), modifiedInput);
        } catch (IllegalArgumentException e) {
            throw new DashboardException("the modified input of request " + request.id() + " is invalid",
                    e.getMessage(), "edit it again; the request stays pending");
        }
    }

    /**
     * Returns the request's proposal after deriving it again from the input with the tool's rules. The
     * request file comes from the bundle's side of the queue, so a proposal that does not match its own
     * input (an edited file) is not applied.
     */
    private ObjectNode checkedProposal(QueuedRequest request) {
        ObjectNode derived;
        try {
            derived = validator().validate(request.tool(), request.input()).proposal();
        } catch (IllegalArgumentException e) {
            throw new DashboardException("request " + request.id() + " stays pending because its input fails the "
                    + request.tool() + " checks", e.getMessage(), "reject it, or modify its input and approve that");
        }
        if (!derived.equals(request.proposal())) {
            throw new DashboardException("request " + request.id() + " stays pending because its proposal does not "
                    + "match its input", "the request file was changed after supervise wrote it",
                    "reject it, or modify its input and approve that");
        }
        return derived;
    }

    private static void requireNoteFits(QueuedRequest request, String note) {
        if (note != null && note.length() > RequestQueue.MAX_NOTE_LENGTH) {
            throw new DashboardException("the note on request " + request.id() + " is too long",
                    "it has " + note.length() + " characters", "shorten it to at most " + RequestQueue.MAX_NOTE_LENGTH);
        }
    }

    private synchronized RequestValidator validator() {
        if (validator == null) {
            validator = SuperviseTools.validator(SecretCheck.builtIn());
        }
        return validator;
    }

    private RequestQueue queue(BottleState bottle) {
        return new RequestQueue(bottle.queueDirectory(), new AuditLog(bottle.auditLog()), (tool, input) ->
                validator().validate(tool, input), clock, RequestQueue.DEFAULT_MAX_PENDING);
    }
}
