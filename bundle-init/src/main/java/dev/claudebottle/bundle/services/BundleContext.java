package dev.claudebottle.bundle.services;

import dev.claudebottle.bundle.BundleConfig;
import dev.claudebottle.bundle.secrets.BundleSecrets;
import io.netty.channel.EventLoopGroup;
import java.util.function.Supplier;

/**
 * What every service adapter may use: the current config (replaced on SIGHUP), the secrets
 * received at start, and the event-loop group all services share.
 */
public record BundleContext(Supplier<BundleConfig> config, BundleSecrets secrets, EventLoopGroup group) {
}
