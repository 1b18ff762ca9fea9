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
 */
public record BottleRef(String identity, String session, String agent, Instant started) {

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
