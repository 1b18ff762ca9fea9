package dev.claudebottle.launcher.docker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;

/**
 * Identifies a launcher process across runs: host name, pid and the process's start instant.
 * The start instant guards against a pid reused by an unrelated process after a crash.
 */
public final class LauncherProcess {

    private LauncherProcess() {
    }

    /** Describes this process as {@code <host>/<pid>/<start instant>}. */
    public static String current() {
        ProcessHandle self = ProcessHandle.current();
        return hostName() + "/" + self.pid() + "/" + self.info().startInstant().map(Instant::toString).orElse("?");
    }

    /**
     * Returns whether the process {@code label} describes still runs. A process on another host
     * cannot be checked from here and counts as alive, so cleanup never removes another machine's
     * bottles.
     */
    public static boolean alive(String label) {
        if (label == null) {
            return false;
        }
        String[] parts = label.split("/", 3);
        if (parts.length != 3) {
            return false;
        }
        if (!parts[0].equals(hostName())) {
            return true;
        }
        long pid;
        try {
            pid = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return process.isPresent() && process.get().isAlive()
                && process.get().info().startInstant().map(Instant::toString).orElse("?").equals(parts[2]);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
