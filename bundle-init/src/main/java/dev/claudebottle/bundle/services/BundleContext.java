package dev.claudebottle.bundle.services;

import dev.claudebottle.bundle.BundleConfig;
import dev.claudebottle.bundle.secrets.BundleSecrets;
import io.netty.channel.EventLoopGroup;
import java.util.function.Supplier;

/**
 * What every service adapter may use: the current config and secrets (both replaced on SIGHUP)
 * and the event-loop group all services share.
 *
 * @param config the current bundle config
 * @param currentSecrets the secrets received so far; {@code receive-secrets --add} and a SIGHUP
 *     add to them while the bundle runs, so adapters look a secret up when they need it
 * @param group the event-loop group every service runs on
 */
public record BundleContext(Supplier<BundleConfig> config, Supplier<BundleSecrets> currentSecrets, EventLoopGroup group) {

    /** Returns the secrets as they are now. */
    public BundleSecrets secrets() {
        return currentSecrets.get();
    }
}
