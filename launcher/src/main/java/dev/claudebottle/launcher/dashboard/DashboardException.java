package dev.claudebottle.launcher.dashboard;

import dev.claudebottle.launcher.LauncherException;

/**
 * A dashboard action that failed and changed nothing: the request it concerned is still pending.
 * The message states what failed, why, and what to do.
 */
public final class DashboardException extends LauncherException {

    public DashboardException(String what, String why, String fix) {
        super(what, why, fix);
    }

    public DashboardException(String what, String why, String fix, Throwable cause) {
        super(what, why, fix, cause);
    }
}
