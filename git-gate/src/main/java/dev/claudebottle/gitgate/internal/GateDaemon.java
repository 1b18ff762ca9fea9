package dev.claudebottle.gitgate.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.transport.DaemonClient;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ServiceMayNotContinueException;
import org.eclipse.jgit.transport.UploadPack;

import dev.claudebottle.gitgate.mirror.MirrorRepository;
import dev.claudebottle.gitgate.scan.PushScanner;
import dev.claudebottle.gitgate.upstream.UpstreamException;

/**
 * The {@code git://} side: JGit's {@link Daemon} serving each mirror as {@code <name>.git}.
 *
 * <p>Repository names are looked up in a fixed map and never turned into file paths, so no
 * request can reach a directory outside the declared mirrors. Unknown names and names that only
 * look like a path to a mirror get the same error. Before every upload-pack and receive-pack
 * the mirror is refreshed from upstream; when that fails the client gets the reason as a
 * protocol {@code ERR} line and no refs (fail closed).
 */
public final class GateDaemon {

    static final String NOT_FOUND = "repository not found; the gate serves only the repositories"
            + " declared in the bottle's git entries, as git://git-gate/<name>.git";

    private final Daemon daemon;
    private final Map<String, MirrorRepository> mirrorsByName;
    private final Map<Repository, MirrorRepository> mirrorsByRepository = new java.util.IdentityHashMap<>();

    public GateDaemon(InetSocketAddress listenAddress, Map<String, MirrorRepository> mirrors, PushScanner scanner,
            int clientTimeoutSeconds) {
        this.mirrorsByName = Map.copyOf(mirrors);
        mirrors.values().forEach(m -> mirrorsByRepository.put(m.repository(), m));

        daemon = new Daemon(listenAddress);
        daemon.setTimeout(clientTimeoutSeconds);
        daemon.getService("git-upload-pack").setEnabled(true);
        daemon.getService("git-upload-pack").setOverridable(false);
        daemon.getService("git-receive-pack").setEnabled(true);
        daemon.getService("git-receive-pack").setOverridable(false);
        daemon.setRepositoryResolver(this::resolve);
        daemon.setUploadPackFactory((client, db) -> {
            UploadPack uploadPack = new UploadPack(db);
            uploadPack.setTimeout(clientTimeoutSeconds);
            return uploadPack;
        });
        daemon.setReceivePackFactory((client, db) -> {
            MirrorRepository mirror = mirrorsByRepository.get(db);
            ReceivePack receivePack = new ReceivePack(db);
            receivePack.setTimeout(clientTimeoutSeconds);
            receivePack.setCheckReceivedObjects(true);
            receivePack.setAllowCreates(true);
            receivePack.setAllowDeletes(true);
            receivePack.setAllowNonFastForwards(true);
            receivePack.setAllowPushOptions(false);
            receivePack.setPreReceiveHook(new ScanAndForwardHook(mirror, scanner));
            return receivePack;
        });
    }

    public void start() throws IOException {
        daemon.start();
    }

    public InetSocketAddress address() {
        return daemon.getAddress();
    }

    public void stop() throws InterruptedException {
        daemon.stopAndWait();
    }

    private Repository resolve(DaemonClient client, String name) throws ServiceMayNotContinueException {
        String key = name.endsWith(Constants.DOT_GIT_EXT)
                ? name.substring(0, name.length() - Constants.DOT_GIT_EXT.length())
                : name;
        MirrorRepository mirror = mirrorsByName.get(key);
        if (mirror == null) {
            throw rejectWithError(client, NOT_FOUND);
        }
        // Both services need the upstream's current refs: upload-pack to serve them, receive-pack to
        // judge the push against them. The resolver is the last step that can still send an ERR line.
        try {
            mirror.refresh();
        } catch (UpstreamException e) {
            throw rejectWithError(client, "git-gate: " + e.getMessage() + "; refusing to serve possibly stale data");
        }
        // The daemon closes the repository after each request; the gate keeps its own reference.
        mirror.repository().incrementOpen();
        return mirror.repository();
    }

    /**
     * Sends {@code message} as a protocol {@code ERR} line, which git prints as
     * "fatal: remote error: ...", and returns the exception that ends the request.
     *
     * <p>JGit 7.5's Daemon writes the ERR line of a {@link ServiceMayNotContinueException} to a
     * buffered stream that it never flushes, so the client would see only a closed connection;
     * this writes and flushes the line itself. The resolver cannot use the quieter
     * {@code RepositoryNotFoundException} either: the Daemon then passes a null repository on
     * and fails with a NullPointerException.
     */
    private static ServiceMayNotContinueException rejectWithError(DaemonClient client, String message) {
        try {
            OutputStream out = client.getOutputStream();
            new PacketLineOut(out).writeString("ERR " + message.replaceAll("\\p{Cntrl}", " ") + "\n");
            out.flush();
        } catch (IOException e) {
            // The client disconnected, so the message cannot be delivered.
        }
        return new ServiceMayNotContinueException(message);
    }
}
