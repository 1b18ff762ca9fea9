package dev.claudebottle.launcher.docker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels on everything a bottle creates, so that {@code list --active}, {@code stop} and
 * {@code cleanup} find containers and networks again even after the launcher was killed.
 */
public final class BottleLabels {

    /** The bottle identity, {@code <agent>-<5 characters>}. */
    public static final String IDENTITY = "dev.claudebottle.identity";
    /** A random id of one launcher run; a resumed bottle gets a new one. */
    public static final String SESSION = "dev.claudebottle.session";
    /** What the object is: {@code agent}, {@code bundle}, {@code helper} or {@code network}. */
    public static final String ROLE = "dev.claudebottle.role";
    /** The agent's name. */
    public static final String AGENT = "dev.claudebottle.agent";
    /** When the session started, as an ISO-8601 instant. */
    public static final String STARTED = "dev.claudebottle.started";
    /**
     * The launcher process that owns the bottle, {@code <host name>/<pid>/<process start instant>},
     * so that {@code cleanup} can tell a live session from the leftovers of a killed launcher.
     */
    public static final String LAUNCHER = "dev.claudebottle.launcher";
    /** The SHA-256 of the build context an image was built from, to notice a changed Dockerfile. */
    public static final String CONTEXT_SHA256 = "dev.claudebottle.context-sha256";

    public static final String ROLE_AGENT = "agent";
    public static final String ROLE_BUNDLE = "bundle";
    public static final String ROLE_HELPER = "helper";
    public static final String ROLE_NETWORK = "network";

    private BottleLabels() {
    }

    /** Returns the labels of one object of a bottle. */
    public static Map<String, String> of(BottleRef bottle, String role) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(IDENTITY, bottle.identity());
        labels.put(SESSION, bottle.session());
        labels.put(AGENT, bottle.agent());
        labels.put(STARTED, bottle.started().toString());
        labels.put(LAUNCHER, bottle.launcher());
        labels.put(ROLE, role);
        return labels;
    }
}
