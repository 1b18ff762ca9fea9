package dev.claudebottle.launcher.docker;

import java.time.Instant;

/**
 * What names and labels one bottle's engine objects.
 *
 * @param identity the bottle identity; containers are {@code <identity>-agent} and
 *     {@code <identity>-bundle}, networks {@code <identity>-internal} and {@code <identity>-egress}
 * @param session a random id of this launcher run
 * @param agent the agent's name
 * @param started when this run started
 * @param launcher the owning launcher process, as {@link LauncherProcess#current()} describes it
 */
public record BottleRef(String identity, String session, String agent, Instant started, String launcher) {

    /** Names a bottle owned by this process. */
    public static BottleRef owned(String identity, String session, String agent, Instant started) {
        return new BottleRef(identity, session, agent, started, LauncherProcess.current());
    }

    public String agentContainer() {
        return identity + "-agent";
    }

    public String bundleContainer() {
        return identity + "-bundle";
    }

    public String internalNetwork() {
        return identity + "-internal";
    }

    public String egressNetwork() {
        return identity + "-egress";
    }
}
