package dev.claudebottle.launcher.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link BottleControl} for tests without a container engine: it keeps a set of running bottles and
 * records the reloads, secrets, stops and attaches it is asked for. The Docker-backed control has its own test.
 */
final class RecordingBottleControl implements BottleControl {

    final Set<String> running = new LinkedHashSet<>();
    final List<String> reloads = new ArrayList<>();
    /** Each secrets document handed over, as "identity document". */
    final List<String> secrets = new ArrayList<>();
    final List<String> stops = new ArrayList<>();
    final List<String> attaches = new ArrayList<>();
    String reloadFailure;
    String secretsFailure;

    @Override
    public synchronized List<RunningBottle> running() {
        return running.stream().map(identity -> new RunningBottle(identity, identity.substring(0,
                identity.lastIndexOf('-')), "agent Up 1 minute, bundle Up 1 minute")).toList();
    }

    @Override
    public synchronized boolean bundleRunning(String identity) {
        return running.contains(identity);
    }

    @Override
    public synchronized void reloadBundle(String identity) {
        if (reloadFailure != null) {
            throw new DashboardException("cannot send SIGHUP to the bundle of bottle " + identity, reloadFailure,
                    "check the Docker engine with `docker ps`");
        }
        reloads.add(identity);
    }

    @Override
    public synchronized void addSecrets(String identity, byte[] document) {
        if (secretsFailure != null || !running.contains(identity)) {
            throw new DashboardException("cannot hand a token to the bundle of bottle " + identity,
                    secretsFailure != null ? secretsFailure : "its bundle container is not running", "resume the bottle");
        }
        secrets.add(identity + " " + new String(document, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void stop(String identity) {
        stops.add(identity);
        running.remove(identity);
    }

    @Override
    public synchronized int attach(String identity) {
        attaches.add(identity);
        return 0;
    }
}
