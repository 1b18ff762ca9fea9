package dev.claudebottle.bundle.services;

import dev.claudebottle.bundle.dns.DnsNames;
import dev.claudebottle.bundle.dns.DnsResponder;
import dev.claudebottle.bundle.supervision.BundleService;
import dev.claudebottle.bundle.supervision.RunningService;
import dev.claudebottle.bundle.supervision.ServiceStartException;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Runs the {@link DnsResponder} as a bundle service. */
final class DnsService implements BundleService {

    static final List<String> DEFAULT_NAMES = List.of("egress", "pipelock", "cred-proxy", "git-gate", "supervise");

    private final InetSocketAddress listen;
    private final DnsNames names;
    private final EventLoopGroup group;

    DnsService(Map<String, Object> section, String source, EventLoopGroup group) {
        SectionReader reader = new SectionReader(section, "dns", source, List.of("listen", "names"));
        this.listen = reader.address("listen", "0.0.0.0:53");
        this.names = DnsNames.facingClient(reader.stringList("names", DEFAULT_NAMES));
        this.group = group;
    }

    @Override
    public String name() {
        return "dns";
    }

    @Override
    public RunningService start() throws ServiceStartException {
        DnsResponder responder;
        try {
            responder = DnsResponder.start(listen, names, group);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceStartException("dns: interrupted while binding " + listen, e);
        } catch (RuntimeException e) {
            throw new ServiceStartException("dns: cannot bind UDP " + listen + ": " + e.getMessage(), e);
        }
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        responder.closeFuture().addListener(closed -> failure.complete(null));
        return new RunningService() {
            @Override
            public CompletionStage<Throwable> failure() {
                return failure;
            }

            @Override
            public void stop(Duration drain) {
                responder.close();
            }
        };
    }
}
