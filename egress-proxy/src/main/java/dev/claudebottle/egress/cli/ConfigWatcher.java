package dev.claudebottle.egress.cli;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls a reload action when the config file changes (watching its directory) or on SIGHUP. */
final class ConfigWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Runnable reload;
    private WatchService watch;
    private Thread thread;

    ConfigWatcher(Path file, Runnable reload) {
        this.file = file.toAbsolutePath();
        this.reload = reload;
    }

    /** Installs a SIGHUP handler, where the JVM allows one (sun.misc.Signal, Linux and macOS). */
    static void onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("SIGHUP reload is unavailable here ({}); the file watch still reloads", e.getMessage());
        }
    }

    void start() {
        try {
            watch = FileSystems.getDefault().newWatchService();
            file.getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_CREATE);
        } catch (IOException e) {
            log.warn("cannot watch {} for changes ({}); reload with SIGHUP instead", file, e.getMessage());
            return;
        }
        thread = new Thread(this::run, "egress-config-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watch.take();
                boolean changed = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.context() instanceof Path p && file.getFileName().equals(p)) {
                        changed = true;
                    }
                }
                key.reset();
                if (changed) {
                    log.info("config file {} changed; reloading", file);
                    reload.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // stopping
        }
    }

    @Override
    public void close() {
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException e) {
                log.debug("closing the config watch failed", e);
            }
        }
    }
}
