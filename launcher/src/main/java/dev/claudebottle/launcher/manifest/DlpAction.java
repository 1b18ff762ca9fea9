package dev.claudebottle.launcher.manifest;

import java.util.Locale;

/** The action egress-proxy takes when DLP finds a secret in a request. */
public enum DlpAction {
    /** Rejects the request with a 403; the default. */
    BLOCK,
    /** Forwards the request and records a finding in the audit log. */
    WARN;

    /** Returns the manifest spelling, {@code block} or {@code warn}. */
    public String manifestName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
