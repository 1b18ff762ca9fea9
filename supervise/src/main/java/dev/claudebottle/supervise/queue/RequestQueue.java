package dev.claudebottle.supervise.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.supervise.audit.AuditEntry;
import dev.claudebottle.supervise.audit.AuditEvent;
import dev.claudebottle.supervise.audit.AuditLog;
import dev.claudebottle.supervise.internal.Json;
import dev.claudebottle.supervise.queue.QueueException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One bottle's queue of access requests: a directory of JSON files shared by supervise, which writes
 * requests, and the operator's dashboard, which writes decisions.
 *
 * <p>A request is {@code <id>.request.json} ({@link QueuedRequest}); its decision is
 * {@code <id>.response.json} ({@link Decision}). A request with no response file is pending. Every
 * file is written to a temporary name in the same directory and then renamed, so a reader never sees
 * half a file. A response file is linked into place with {@link Files#createLink}, which fails when the
 * file exists, so two dashboards cannot both decide one request. Each submit and decision is appended
 * to the {@link AuditLog} before the method returns.
 */
public final class RequestQueue {

    /** Default cap on pending requests per bottle, so a looping agent cannot fill the disk. */
    public static final int DEFAULT_MAX_PENDING = 50;

    /** Cap on the length of an operator's note or reason, in characters. */
    public static final int MAX_NOTE_LENGTH = 2000;

    private static final Logger log = LoggerFactory.getLogger(RequestQueue.class);
    private static final String REQUEST_SUFFIX = ".request.json";
    private static final String RESPONSE_SUFFIX = ".response.json";

    private final Path directory;
    private final AuditLog audit;
    private final RequestValidator validator;
    private final Clock clock;
    private final int maxPending;

    public RequestQueue(Path directory, AuditLog audit, RequestValidator validator, Clock clock, int maxPending) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1, not " + maxPending);
        }
        this.directory = directory.toAbsolutePath();
        this.audit = audit;
        this.validator = validator;
        this.clock = clock;
        this.maxPending = maxPending;
    }

    /** Opens a queue with the system clock and {@link #DEFAULT_MAX_PENDING}. */
    public static RequestQueue open(Path directory, AuditLog audit, RequestValidator validator) {
        return new RequestQueue(directory, audit, validator, Clock.systemUTC(), DEFAULT_MAX_PENDING);
    }

    public Path directory() {
        return directory;
    }

    /**
     * Writes a new request file and audits it.
     *
     * @throws QueueException {@code QUEUE_FULL} when the bottle already has the maximum of pending
     *     requests, or {@code IO} when the file cannot be written
     */
    public synchronized QueuedRequest submit(String bottle, String tool, PreparedRequest prepared) {
        createDirectory();
        int pending = listPending().size();
        if (pending >= maxPending) {
            throw new QueueException(Reason.QUEUE_FULL, pending + " requests of bottle " + bottle
                    + " are already waiting for the operator (the maximum is " + maxPending
                    + "); wait for decisions with check-request before asking again");
        }

        QueuedRequest request = new QueuedRequest(RequestIds.newId(clock.instant()), bottle, tool,
                clock.instant(), prepared.summary(), prepared.input(), prepared.proposal());
        writeAtomically(requestFile(request.id()), request.toJson(), false);
        audit.append(new AuditEntry(request.createdAt(), bottle, tool, request.id(), AuditEvent.REQUESTED,
                request.input(), null, null, null));
        log.info("queued request {} of bottle {}: {}", request.id(), bottle, request.summary());
        return request;
    }

    /** Lists requests without a decision, oldest first; unreadable files are logged and skipped. */
    public List<QueuedRequest> listPending() {
        return listPending(problem -> { });
    }

    /**
     * Lists requests without a decision, oldest first. A file that cannot be read is skipped, so
     * that one damaged file hides no other request, and {@code skipped} receives a line naming it.
     */
    public List<QueuedRequest> listPending(Consumer<String> skipped) {
        List<QueuedRequest> pending = new ArrayList<>();
        for (Path file : requestFiles()) {
            String id = idOf(file);
            if (Files.exists(responseFile(id))) {
                continue;
            }
            try {
                readRequest(file).ifPresent(pending::add);
            } catch (QueueException e) {
                log.warn("skipping request file {}: {}", file, e.getMessage());
                skipped.accept(e.getMessage());
            }
        }
        pending.sort(Comparator.comparing(QueuedRequest::createdAt).thenComparing(QueuedRequest::id));
        return pending;
    }

    /** Finds a request by id, decided or not; an id that does not match the id pattern finds nothing. */
    public Optional<QueuedRequest> find(String id) {
        if (!RequestIds.isValid(id)) {
            return Optional.empty();
        }
        Path file = requestFile(id);
        return Files.exists(file) ? readRequest(file) : Optional.empty();
    }

    /** Returns the decision on a request, or empty while it is pending or when the id is unknown. */
    public Optional<Decision> decision(String id) {
        // The exists check spares a waiting call's poll an exception per round.
        if (!RequestIds.isValid(id) || !Files.exists(responseFile(id))) {
            return Optional.empty();
        }
        JsonNode json = readTree(responseFile(id));
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Decision.fromJson(json));
        } catch (IllegalArgumentException e) {
            throw new QueueException(Reason.IO, "response file " + responseFile(id) + " is invalid: "
                    + e.getMessage() + "; fix or delete it and decide again", e);
        }
    }

    /** Approves a request as the agent sent it. */
    public Decision approve(String id, String note) {
        return decide(id, RequestStatus.APPROVED, note, null);
    }

    /**
     * Approves a request after the operator changed its input, for example narrowing a wildcard host.
     * The modified input passes the tool's own validation first; nothing is written when it fails.
     *
     * @throws QueueException {@code INVALID_INPUT} with the validation message
     */
    public Decision approve(String id, String note, ObjectNode modifiedInput) {
        return decide(id, RequestStatus.APPROVED, note, modifiedInput);
    }

    /** Rejects a request; the reason is required because the agent is shown it. */
    public Decision reject(String id, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new QueueException(Reason.INVALID_INPUT, "a rejection of request " + id
                    + " needs a reason; the agent is shown it so that it does not ask again blindly");
        }
        return decide(id, RequestStatus.REJECTED, reason, null);
    }

    /**
     * Audits a configuration change made when an approved request was applied, with the
     * configuration before and after, such as the allowlist.
     */
    public void recordApplied(QueuedRequest request, JsonNode before, JsonNode after, String note) {
        audit.append(new AuditEntry(clock.instant(), request.bottle(), request.tool(), request.id(),
                AuditEvent.APPLIED, request.input(), note, before, after));
    }

    private synchronized Decision decide(String id, RequestStatus status, String note, ObjectNode modifiedInput) {
        // Guard ladder: the request exists, is still pending, and the note and any new input are valid.
        QueuedRequest request = find(id).orElseThrow(() -> new QueueException(Reason.NOT_FOUND,
                "no request with id " + id + " in " + directory + "; list pending requests to see valid ids"));
        Optional<Decision> earlier = decision(id);
        if (earlier.isPresent()) {
            throw alreadyDecided(earlier.get());
        }
        if (note != null && note.length() > MAX_NOTE_LENGTH) {
            throw new QueueException(Reason.INVALID_INPUT, "the note on request " + id + " has "
                    + note.length() + " characters; shorten it to at most " + MAX_NOTE_LENGTH);
        }
        PreparedRequest modified = modifiedInput == null ? null : validateModified(request, modifiedInput);

        // Link the response file into place: this fails if another dashboard decided first.
        Decision decision = new Decision(id, status, note, clock.instant(),
                modified == null ? null : modified.input(), modified == null ? null : modified.proposal());
        try {
            writeAtomically(responseFile(id), decision.toJson(), true);
        } catch (QueueException e) {
            if (e.reason() == Reason.ALREADY_DECIDED) {
                throw alreadyDecided(decision(id).orElse(decision));
            }
            throw e;
        }

        AuditEvent event = status == RequestStatus.APPROVED ? AuditEvent.APPROVED : AuditEvent.REJECTED;
        audit.append(new AuditEntry(decision.decidedAt(), request.bottle(), request.tool(), id, event,
                request.input(), note, modified == null ? null : request.input(),
                modified == null ? null : modified.input()));
        log.info("request {} of bottle {} {}{}", id, request.bottle(), event.jsonName(),
                modified == null ? "" : " with modified input");
        return decision;
    }

    private PreparedRequest validateModified(QueuedRequest request, ObjectNode modifiedInput) {
        try {
            return validator.validate(request.tool(), modifiedInput);
        } catch (IllegalArgumentException e) {
            throw new QueueException(Reason.INVALID_INPUT, "the modified input of request " + request.id()
                    + " is invalid: " + e.getMessage(), e);
        }
    }

    private QueueException alreadyDecided(Decision earlier) {
        return new QueueException(Reason.ALREADY_DECIDED, "request " + earlier.id() + " was already "
                + earlier.status().name().toLowerCase(Locale.ROOT) + " at " + earlier.decidedAt()
                + "; a decision cannot be changed, so ask the agent to send a new request if needed");
    }

    private Path requestFile(String id) {
        return directory.resolve(id + REQUEST_SUFFIX);
    }

    private Path responseFile(String id) {
        return directory.resolve(id + RESPONSE_SUFFIX);
    }

    private static String idOf(Path requestFile) {
        String name = requestFile.getFileName().toString();
        return name.substring(0, name.length() - REQUEST_SUFFIX.length());
    }

    private List<Path> requestFiles() {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + REQUEST_SUFFIX)) {
            for (Path file : stream) {
                if (RequestIds.isValid(idOf(file))) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            throw new QueueException(Reason.IO, "cannot list queue directory " + directory, e);
        }
        return files;
    }

    private Optional<QueuedRequest> readRequest(Path file) {
        JsonNode json = readTree(file);
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(QueuedRequest.fromJson(json));
        } catch (IllegalArgumentException e) {
            log.warn("skipping invalid request file {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Reads a JSON file, or returns null when it does not exist. */
    private static JsonNode readTree(Path file) {
        try {
            return Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new QueueException(Reason.IO, "cannot read queue file " + file
                    + "; it may be truncated or not JSON", e);
        }
    }

    private void createDirectory() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new QueueException(Reason.IO, "cannot create queue directory " + directory
                    + "; check the bind mount and its permissions", e);
        }
    }

    /**
     * Writes {@code json} to a temporary file in the queue directory, then moves it to {@code target}.
     * With {@code exclusive}, the move is a hard link that fails when {@code target} exists.
     */
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> QUEUE_FILE_PERMISSIONS =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");

    private void writeAtomically(Path target, JsonNode json, boolean exclusive) {
        Path temp = null;
        try {
            temp = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
            Files.write(temp, Json.writePretty(json).getBytes(StandardCharsets.UTF_8));
            // The launcher on the host and the bundle in its container run as different users, and each
            // reads the other's files; queue files never carry a secret (inputs with one are refused).
            Files.setPosixFilePermissions(temp, QUEUE_FILE_PERMISSIONS);
            if (exclusive) {
                Files.createLink(target, temp);
            } else {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                temp = null;
            }
        } catch (FileAlreadyExistsException e) {
            throw new QueueException(Reason.ALREADY_DECIDED, target + " already exists", e);
        } catch (IOException e) {
            throw new QueueException(Reason.IO, "cannot write queue file " + target
                    + "; check free space and the permissions of " + directory, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            log.warn("cannot delete temporary queue file {}; delete it by hand", temp, e);
        }
    }
}
