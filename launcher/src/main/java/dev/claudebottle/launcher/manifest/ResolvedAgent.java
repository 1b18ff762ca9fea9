package dev.claudebottle.launcher.manifest;

/** An agent together with its fully merged bottle: everything a launch needs from manifests. */
public record ResolvedAgent(Agent agent, Bottle bottle) {
}
