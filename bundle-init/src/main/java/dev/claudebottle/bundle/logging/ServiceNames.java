package dev.claudebottle.bundle.logging;

/** Maps a logger name to the bundle service it belongs to, by package. */
public final class ServiceNames {

    private ServiceNames() {
    }

    /** Returns the service name for a logger: egress, cred-proxy, git-gate, supervise, dns or bundle. */
    public static String forLogger(String loggerName) {
        if (loggerName.startsWith("dev.claudebottle.egress")) {
            return "egress";
        } else if (loggerName.startsWith("dev.claudebottle.credproxy")) {
            return "cred-proxy";
        } else if (loggerName.startsWith("dev.claudebottle.gitgate") || loggerName.startsWith("org.eclipse.jgit")
                || loggerName.startsWith("org.apache.sshd")) {
            return "git-gate";
        } else if (loggerName.startsWith("dev.claudebottle.supervise")) {
            return "supervise";
        } else if (loggerName.startsWith("dev.claudebottle.bundle.dns")) {
            return "dns";
        }
        return "bundle";
    }
}
