package dev.claudebottle.launcher.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.dashboard.BottleControl.RunningBottle;
import dev.claudebottle.launcher.dashboard.Dashboard.Pending;
import dev.claudebottle.supervise.queue.QueuedRequest;
import java.io.IOError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jline.keymap.BindingReader;
import org.jline.keymap.KeyMap;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.ClosedException;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The full-screen dashboard: pending requests of all bottles (oldest first, those that arrived while
 * it runs highlighted until opened), a detail view, and the running bottles.
 *
 * <p>Keys are handled on the caller's thread and the lists refresh once a second on a daemon thread;
 * both draw under this object's lock. {@code q} leaves without touching any bottle. Any exception or
 * error leaves the alternate screen and restores the terminal's modes first, then prints the error and
 * writes a crash log.
 */
final class DashboardScreen {

    private enum Action { UP, DOWN, OPEN, BACK, APPROVE, MODIFY, REJECT, SWITCH, STOP, ATTACH, REFRESH, QUIT, OTHER }

    private enum Pane { REQUESTS, BOTTLES }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long PENDING_EVERY_MILLIS = 1_000;
    private static final long BOTTLES_EVERY_MILLIS = 5_000;
    private static final long MANIFESTS_EVERY_MILLIS = 10_000;
    private static final int ESCAPE = 27;

    private final Terminal terminal;
    private final Dashboard dashboard;
    private final BottleControl control;
    private final Supplier<Optional<String>> manifestStatus;
    private final Path crashFolder;
    private final Map<String, String> environment;
    private final Clock clock;

    private Display display;
    private BindingReader bindings;
    private KeyMap<Action> keys;
    private Attributes savedAttributes;

    private List<Pending> pending = List.of();
    private List<RunningBottle> bottles = List.of();
    private String bottlesProblem;
    private Optional<String> manifestProblem = Optional.empty();
    private final Set<String> knownAtStart = new HashSet<>();
    private final Set<String> opened = new HashSet<>();
    private boolean started;
    private int selectedRequest;
    private int selectedBottle;
    private Pane pane = Pane.REQUESTS;
    private Pending detail;
    private String status = "";
    private volatile Error backgroundFailure;
    private long pendingDue;
    private long bottlesDue;
    private long manifestsDue;

    /**
     * @param manifestStatus returns a one-line summary of manifest problems, empty when all are valid
     * @param crashFolder where a crash log is written
     * @param environment the operator's environment, for {@code VISUAL} and {@code EDITOR}
     */
    DashboardScreen(Terminal terminal, Dashboard dashboard, BottleControl control,
            Supplier<Optional<String>> manifestStatus, Path crashFolder, Map<String, String> environment, Clock clock) {
        this.terminal = terminal;
        this.dashboard = dashboard;
        this.control = control;
        this.manifestStatus = manifestStatus;
        this.crashFolder = crashFolder;
        this.environment = Map.copyOf(environment);
        this.clock = clock;
    }

    /**
     * Runs until the operator quits, and returns the exit status: 0, or 1 after a crash, whose message
     * is printed to the terminal once it is restored.
     */
    /** Whether the screen is in the alternate buffer with the cursor hidden, so that it is left once. */
    private volatile boolean onScreen;

    int run() {
        Throwable crash = null;
        savedAttributes = terminal.enterRawMode();
        // SIGTERM ends the JVM through its shutdown hooks, and this one puts the terminal back, as `q`
        // does. It takes no lock, because the key loop or the refresher may hold the screen's monitor.
        Thread restore = new Thread(this::leaveScreen, "dashboard-restore-terminal");
        Runtime.getRuntime().addShutdownHook(restore);
        try {
            enterScreen();
            loop();
        } catch (RuntimeException | Error e) {
            crash = e;
        } finally {
            synchronized (this) {
                leaveScreen();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(restore);
            } catch (IllegalStateException e) {
                // The JVM is shutting down already; the hook restores the terminal a second time, harmlessly.
            }
        }
        if (crash == null) {
            return 0;
        }
        reportCrash(crash);
        return 1;
    }

    /**
     * Reads keys with blocking reads on this thread, while a daemon thread refreshes and redraws once a
     * second. A blocking read leaves no reader thread behind that could take the keys meant for an
     * editor or an attached {@code claude}; a read with a timeout would.
     */
    private void loop() {
        synchronized (this) {
            refreshDue();
            render();
        }
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dashboard-refresh");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::refreshInBackground, PENDING_EVERY_MILLIS, PENDING_EVERY_MILLIS,
                TimeUnit.MILLISECONDS);
        try {
            while (true) {
                Action action = readAction();
                if (action == null || action == Action.QUIT) {
                    return;
                }
                synchronized (this) {
                    handle(action);
                    refreshDue();
                    render();
                }
                if (backgroundFailure != null) {
                    throw backgroundFailure;
                }
            }
        } finally {
            refresher.shutdownNow();
            awaitQuietly(refresher);
        }
    }

    private static void awaitQuietly(ScheduledExecutorService refresher) {
        try {
            refresher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the next key binding; null when the terminal is closed. */
    private Action readAction() {
        try {
            return bindings.readBinding(keys);
        } catch (IOError e) {
            if (e.getCause() instanceof ClosedException) {
                // The terminal went away, as when an SSH connection drops; leave like q does.
                return null;
            }
            throw e;
        }
    }

    /**
     * Refreshes and redraws between keys. A failure to read the queues shows on the status line; an
     * {@link Error} is kept for the key loop to rethrow, so that the crash path restores the terminal.
     */
    private synchronized void refreshInBackground() {
        try {
            refreshDue();
            render();
        } catch (RuntimeException e) {
            status = "cannot refresh: " + e.getMessage();
        } catch (Error e) {
            backgroundFailure = e;
        }
    }

    private void handle(Action action) {
        switch (action) {
            case UP -> move(-1);
            case DOWN -> move(1);
            case SWITCH -> {
                if (detail == null) {
                    pane = pane == Pane.REQUESTS ? Pane.BOTTLES : Pane.REQUESTS;
                }
            }
            case OPEN -> open();
            case BACK -> detail = null;
            case APPROVE -> selectedRequest().ifPresent(this::approve);
            case MODIFY -> selectedRequest().ifPresent(this::modify);
            case REJECT -> selectedRequest().ifPresent(this::reject);
            case STOP -> selectedBottle().ifPresent(this::stop);
            case ATTACH -> selectedBottle().ifPresent(this::attach);
            case REFRESH -> {
                pendingDue = 0;
                bottlesDue = 0;
                manifestsDue = 0;
                status = "refreshed";
            }
            default -> { }
        }
    }

    private void move(int delta) {
        if (detail != null) {
            return;
        }
        if (pane == Pane.REQUESTS) {
            selectedRequest = clamp(selectedRequest + delta, pending.size());
        } else {
            selectedBottle = clamp(selectedBottle + delta, bottles.size());
        }
    }

    private static int clamp(int index, int size) {
        return Math.max(0, Math.min(index, size - 1));
    }

    private void open() {
        if (pane == Pane.BOTTLES && detail == null) {
            selectedBottle().ifPresent(this::attach);
            return;
        }
        selectedRequest().ifPresent(request -> {
            detail = request;
            opened.add(request.id());
        });
    }

    /** Returns the request the keys act on: the one in the detail view, or the one selected in the list. */
    private Optional<Pending> selectedRequest() {
        if (detail != null) {
            return Optional.of(detail);
        }
        if (pane != Pane.REQUESTS || pending.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(pending.get(clamp(selectedRequest, pending.size())));
    }

    private Optional<RunningBottle> selectedBottle() {
        if (detail != null || pane != Pane.BOTTLES || bottles.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(bottles.get(clamp(selectedBottle, bottles.size())));
    }

    private void approve(Pending request) {
        Optional<String> note = prompt("Note for approving " + request.id() + " (Enter for none, Esc cancels): ");
        if (note.isEmpty()) {
            status = "approval cancelled";
            return;
        }
        decide(() -> dashboard.approve(request, note.get().isBlank() ? null : note.get(), null));
    }

    private void reject(Pending request) {
        Optional<String> reason = prompt("Reason for rejecting " + request.id() + " (shown to the agent; Esc cancels): ");
        if (reason.isEmpty() || reason.get().isBlank()) {
            status = "rejection cancelled: a reason is required";
            return;
        }
        decide(() -> dashboard.reject(request.id(), reason.get()));
    }

    /** Opens the request's input in the operator's editor, validates it, then approves it. */
    private void modify(Pending request) {
        Optional<ObjectNode> edited = edit(request.request());
        if (edited.isEmpty()) {
            return;
        }
        try {
            dashboard.validate(request.request(), edited.get());
        } catch (DashboardException e) {
            status = "not approved: " + e.getMessage();
            return;
        }
        Optional<String> note = prompt("Note for approving the modified " + request.id() + " (Esc cancels): ");
        if (note.isEmpty()) {
            status = "approval cancelled";
            return;
        }
        decide(() -> dashboard.approve(request, note.get().isBlank() ? null : note.get(), edited.get()));
    }

    private void decide(Supplier<Dashboard.Outcome> decision) {
        try {
            Dashboard.Outcome outcome = decision.get();
            status = outcome.decision().status().name().toLowerCase(java.util.Locale.ROOT) + " "
                    + outcome.pending().id() + (outcome.messages().isEmpty() ? "" : ": "
                    + String.join("; ", outcome.messages()));
            detail = null;
            pendingDue = 0;
        } catch (LauncherException e) {
            status = e.getMessage();
        }
    }

    private Optional<ObjectNode> edit(QueuedRequest request) {
        Path file = null;
        try {
            file = Files.createTempFile("claude-bottle-" + request.id(), ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            String original = JSON.writeValueAsString(request.input()) + "\n";
            Files.writeString(file, original, StandardCharsets.UTF_8);
            int exit = suspended(runEditor(file));
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (exit != 0) {
                status = "not approved: the editor exited with " + exit;
                return Optional.empty();
            }
            if (text.equals(original)) {
                status = "not approved: the input is unchanged; use a to approve it as sent";
                return Optional.empty();
            }
            JsonNode json = JSON.readTree(text);
            if (!(json instanceof ObjectNode object)) {
                status = "not approved: the edited input must be a JSON object";
                return Optional.empty();
            }
            return Optional.of(object);
        } catch (IOException e) {
            status = "not approved: cannot edit the input: " + e.getMessage();
            return Optional.empty();
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    status = status + " (the temporary file " + file + " is left behind)";
                }
            }
        }
    }

    private Supplier<Integer> runEditor(Path file) {
        String editor = environment.getOrDefault("VISUAL", environment.getOrDefault("EDITOR", "vi"));
        // As git does, the editor setting is shell text such as "code --wait", and the file is "$1".
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", editor + " \"$1\"", "sh", file.toString()).inheritIO();
        return () -> {
            try {
                return builder.start().waitFor();
            } catch (IOException e) {
                throw new DashboardException("cannot run the editor '" + editor + "'", String.valueOf(e.getMessage()),
                        "set EDITOR to an editor that is installed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 130;
            }
        };
    }

    private void stop(RunningBottle bottle) {
        Optional<String> answer = prompt("Stop bottle " + bottle.identity() + "? Type yes to stop: ");
        if (answer.isEmpty() || !answer.get().strip().equals("yes")) {
            status = "bottle " + bottle.identity() + " keeps running";
            return;
        }
        try {
            control.stop(bottle.identity());
            status = "stopped bottle " + bottle.identity() + "; resume it with `claude-bottle resume "
                    + bottle.identity() + "`";
            bottlesDue = 0;
        } catch (LauncherException e) {
            status = e.getMessage();
        }
    }

    private void attach(RunningBottle bottle) {
        try {
            int exit = suspended(() -> control.attach(bottle.identity()));
            status = "left bottle " + bottle.identity() + " (claude exited with " + exit + ")";
        } catch (LauncherException e) {
            status = e.getMessage();
        }
    }

    /**
     * Hands the terminal to a child process: leaves the alternate screen and raw mode, and restores both
     * afterwards. The key loop is not reading meanwhile, so the child gets every key.
     */
    // NOTE: after a lone Esc, JLine waits for the rest of an escape sequence with a timed read. On some
    // terminals that read can stay pending and take the first key typed in the child.
    private int suspended(Supplier<Integer> child) {
        leaveScreen();
        try {
            return child.get();
        } finally {
            savedAttributes = terminal.enterRawMode();
            enterScreen();
        }
    }

    /** Reads a line on the status row; empty when the operator presses Esc. */
    private Optional<String> prompt(String label) {
        StringBuilder text = new StringBuilder();
        while (true) {
            renderPrompt(label + text);
            int c = bindings.readCharacter();
            if (c == ESCAPE || c == NonBlockingReader.EOF) {
                drainEscapeSequence();
                return Optional.empty();
            }
            if (c == '\r' || c == '\n') {
                return Optional.of(text.toString());
            }
            if (c == 127 || c == 8) {
                if (!text.isEmpty()) {
                    text.setLength(text.length() - 1);
                }
            } else if (c >= 0x20 && text.length() < 2000) {
                text.appendCodePoint(c);
            }
        }
    }

    /**
     * Skips the rest of an escape sequence such as an arrow key's ({@code ESC [ A}), so that it is not
     * read as typed keys. A key typed after a lone Esc is left alone.
     */
    private void drainEscapeSequence() {
        int next = bindings.peekCharacter(20);
        if (next != '[' && next != 'O') {
            return;
        }
        bindings.readCharacter();
        while (true) {
            int c = bindings.peekCharacter(20);
            if (c < 0) {
                return;
            }
            bindings.readCharacter();
            if (c >= 0x40 && c <= 0x7e) {
                return;
            }
        }
    }

    private void refreshDue() {
        long now = clock.millis();
        if (now >= pendingDue) {
            pending = dashboard.pending();
            if (!started) {
                pending.forEach(request -> knownAtStart.add(request.id()));
                started = true;
            }
            selectedRequest = clamp(selectedRequest, pending.size());
            if (detail != null && pending.stream().noneMatch(request -> request.id().equals(detail.id()))) {
                status = "request " + detail.id() + " is no longer pending";
                detail = null;
            }
            pendingDue = now + PENDING_EVERY_MILLIS;
        }
        if (now >= bottlesDue) {
            try {
                bottles = dashboard.runningBottles();
                bottlesProblem = null;
            } catch (LauncherException e) {
                bottles = List.of();
                bottlesProblem = e.getMessage();
            }
            selectedBottle = clamp(selectedBottle, bottles.size());
            bottlesDue = now + BOTTLES_EVERY_MILLIS;
        }
        if (now >= manifestsDue) {
            manifestProblem = manifestStatus.get();
            manifestsDue = now + MANIFESTS_EVERY_MILLIS;
        }
    }

    private boolean isNew(Pending request) {
        return !knownAtStart.contains(request.id()) && !opened.contains(request.id());
    }

    private void render() {
        Size size = terminal.getSize();
        int rows = Math.max(size.getRows(), 10);
        int columns = Math.max(size.getColumns(), 40);
        display.resize(rows, columns);
        List<AttributedString> lines = detail != null ? DetailView.lines(detail, clock.instant(), columns)
                : listLines(rows, columns);
        List<AttributedString> screen = new ArrayList<>();
        screen.add(title(columns));
        for (AttributedString line : lines) {
            if (screen.size() >= rows - 2) {
                break;
            }
            screen.add(line.columnSubSequence(0, columns));
        }
        while (screen.size() < rows - 2) {
            screen.add(AttributedString.EMPTY);
        }
        screen.add(statusLine(columns));
        screen.add(new AttributedString(ScreenText.fit(helpLine(), columns), AttributedStyle.DEFAULT.faint()));
        display.update(screen, -1);
        terminal.flush();
    }

    private void renderPrompt(String text) {
        status = text;
        render();
    }

    private AttributedString title(int columns) {
        String text = " claude-bottle dashboard: " + pending.size() + " pending, " + bottles.size() + " running bottle"
                + (bottles.size() == 1 ? "" : "s");
        return new AttributedString(ScreenText.fit(text, columns), AttributedStyle.DEFAULT.inverse());
    }

    private List<AttributedString> listLines(int rows, int columns) {
        List<AttributedString> lines = new ArrayList<>();
        int requestRows = Math.max(3, (rows - 9) * 2 / 3);
        lines.add(heading("Pending requests, oldest first", pane == Pane.REQUESTS));
        if (pending.isEmpty()) {
            lines.add(new AttributedString("  no pending requests", AttributedStyle.DEFAULT.faint()));
        } else {
            lines.add(new AttributedString(ScreenText.fit("     AGE  BOTTLE           TOOL              SUMMARY",
                    columns), AttributedStyle.DEFAULT.faint()));
            int first = Math.max(0, Math.min(selectedRequest - requestRows + 1, pending.size() - requestRows));
            Instant now = clock.instant();
            for (int i = first; i < Math.min(pending.size(), first + requestRows); i++) {
                lines.add(requestRow(pending.get(i), i == selectedRequest && pane == Pane.REQUESTS, now, columns));
            }
        }
        lines.add(AttributedString.EMPTY);
        lines.add(heading("Running bottles", pane == Pane.BOTTLES));
        if (bottlesProblem != null) {
            lines.add(new AttributedString("  " + ScreenText.clean(bottlesProblem),
                    AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)));
        } else if (bottles.isEmpty()) {
            lines.add(new AttributedString("  no running bottles", AttributedStyle.DEFAULT.faint()));
        }
        for (int i = 0; i < bottles.size(); i++) {
            RunningBottle bottle = bottles.get(i);
            String text = "  " + ScreenText.fit(bottle.identity(), 22) + " " + ScreenText.fit(bottle.agent(), 16) + " "
                    + bottle.state();
            boolean selected = i == selectedBottle && pane == Pane.BOTTLES;
            lines.add(new AttributedString(ScreenText.fit(ScreenText.clean(text), columns),
                    selected ? AttributedStyle.DEFAULT.inverse() : AttributedStyle.DEFAULT));
        }
        return lines;
    }

    private static AttributedString heading(String text, boolean focused) {
        AttributedStyle style = AttributedStyle.BOLD;
        return new AttributedString((focused ? "> " : "  ") + text, focused ? style.underline() : style);
    }

    private AttributedString requestRow(Pending request, boolean selected, Instant now, int columns) {
        QueuedRequest queued = request.request();
        boolean fresh = isNew(request);
        String text = (fresh ? " NEW " : "     ")
                + ScreenText.fit(ScreenText.age(Duration.between(queued.createdAt(), now)), 4) + " "
                + ScreenText.fit(request.bottle().identity(), 16) + " " + ScreenText.fit(queued.tool(), 17) + " "
                + ScreenText.clean(queued.summary());
        AttributedStyle style = AttributedStyle.DEFAULT;
        if (fresh) {
            style = style.bold().foreground(AttributedStyle.YELLOW);
        }
        if (selected) {
            style = style.inverse();
        }
        return new AttributedString(ScreenText.fit(text, columns), style);
    }

    private AttributedString statusLine(int columns) {
        String text = status;
        AttributedStyle style = AttributedStyle.DEFAULT.bold();
        if (text.isEmpty() && !dashboard.problems().isEmpty()) {
            text = dashboard.problems().get(0);
            style = style.foreground(AttributedStyle.RED);
        } else if (text.isEmpty() && manifestProblem.isPresent()) {
            text = manifestProblem.get();
            style = style.foreground(AttributedStyle.YELLOW);
        }
        return new AttributedString(ScreenText.fit(ScreenText.clean(text), columns), style);
    }

    private String helpLine() {
        if (detail != null) {
            return " a approve  m modify and approve  r reject  Esc back  q quit";
        }
        if (pane == Pane.BOTTLES) {
            return " up/down move  Enter/t attach  s stop  Tab requests  g refresh  q quit (bottles keep running)";
        }
        return " up/down move  Enter details  a approve  m modify  r reject  Tab bottles  g refresh  q quit";
    }

    private void enterScreen() {
        onScreen = true;
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.keypad_xmit);
        terminal.puts(Capability.cursor_invisible);
        terminal.flush();
        if (display == null) {
            display = new Display(terminal, true);
            bindings = new BindingReader(terminal.reader());
            keys = keyMap();
            terminal.handle(Terminal.Signal.WINCH, signal -> display.clear());
            // JLine's default for Ctrl-C ends the process at once, before any shutdown hook, which
            // would leave the terminal on the alternate screen; Ctrl-C quits like `q` instead.
            terminal.handle(Terminal.Signal.INT, signal -> {
                leaveScreen();
                System.exit(130);
            });
        }
        display.clear();
    }

    private void leaveScreen() {
        if (!onScreen) {
            return;
        }
        onScreen = false;
        terminal.puts(Capability.keypad_local);
        terminal.puts(Capability.exit_ca_mode);
        // After leaving the alternate screen, which may restore the cursor state saved on entry.
        terminal.puts(Capability.cursor_normal);
        terminal.flush();
        terminal.setAttributes(savedAttributes);
    }

    private KeyMap<Action> keyMap() {
        KeyMap<Action> map = new KeyMap<>();
        map.setNomatch(Action.OTHER);
        map.setAmbiguousTimeout(100);
        bind(map, Action.UP, KeyMap.key(terminal, Capability.key_up), "k", "\033[A", "\033OA");
        bind(map, Action.DOWN, KeyMap.key(terminal, Capability.key_down), "j", "\033[B", "\033OB");
        bind(map, Action.OPEN, "\r", "\n");
        bind(map, Action.BACK, KeyMap.esc(), "h", KeyMap.key(terminal, Capability.key_left), "\033[D", "\033OD");
        bind(map, Action.APPROVE, "a");
        bind(map, Action.MODIFY, "m");
        bind(map, Action.REJECT, "r");
        bind(map, Action.SWITCH, "\t");
        bind(map, Action.STOP, "s");
        bind(map, Action.ATTACH, "t");
        bind(map, Action.REFRESH, "g", KeyMap.ctrl('L'));
        bind(map, Action.QUIT, "q");
        return map;
    }

    /** Binds the sequences that the terminal has; a capability it lacks comes back as null. */
    private static void bind(KeyMap<Action> map, Action action, String... sequences) {
        for (String sequence : sequences) {
            if (sequence != null && !sequence.isEmpty()) {
                map.bind(action, sequence);
            }
        }
    }

    /** Prints the crash and writes the crash log; the terminal is restored by then. */
    private void reportCrash(Throwable crash) {
        PrintWriter out = terminal.writer();
        out.println("claude-bottle: error: the dashboard stopped on an unexpected " + crash.getClass().getName() + ": "
                + crash.getMessage() + "; no bottle was stopped");
        writeCrashLog(crash).ifPresentOrElse(
                file -> out.println("claude-bottle: the crash log is " + file + "; please report it"),
                () -> crash.printStackTrace(out));
        out.flush();
    }

    private Optional<Path> writeCrashLog(Throwable crash) {
        StringWriter trace = new StringWriter();
        crash.printStackTrace(new PrintWriter(trace));
        Instant now = clock.instant();
        String name = "dashboard-crash-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC).format(now) + ".log";
        try {
            Files.createDirectories(crashFolder);
            Path file = crashFolder.resolve(name);
            Files.writeString(file, "claude-bottle dashboard crash at " + now + "\n" + trace, StandardCharsets.UTF_8);
            return Optional.of(file);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
