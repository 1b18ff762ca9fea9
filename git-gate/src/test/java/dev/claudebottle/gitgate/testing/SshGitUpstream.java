package dev.claudebottle.gitgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.UploadPack;

/**
 * A real SSH git server on 127.0.0.1 standing in for GitHub and friends: Apache MINA SSHD with
 * public-key authentication only, and JGit's upload-pack and receive-pack behind the
 * {@code git-upload-pack '<path>'} and {@code git-receive-pack '<path>'} exec requests.
 *
 * <p>Its behaviour for receive-pack can be switched at run time, see {@link Behaviour}.
 */
public final class SshGitUpstream implements AutoCloseable {

    /** Behaviour of the server for git requests. */
    public enum Behaviour {
        /** Serves pushes normally. */
        NORMAL,
        /** Rejects every pushed ref with {@link #HOOK_REASON}, as a server-side hook would. */
        REJECT_PUSHES,
        /** Refuses non-fast-forward updates and deletions, like {@code receive.denyNonFastForwards} and {@code denyDeletes}. */
        DENY_REWRITES,
        /** Accepts the channel, then never reads or writes. */
        HANG_ON_PUSH,
        /** Accepts the channel, then never reads or writes, for fetches and pushes alike. */
        HANG
    }

    public static final String HOOK_REASON = "policy hook: pushes to this repository are frozen";

    private final Path root;
    private final SshServer server;
    private final KeyPair hostKey;
    private final KeyPair clientKey;
    private final AtomicReference<Behaviour> behaviour = new AtomicReference<>(Behaviour.NORMAL);
    private final AtomicInteger receivePackSessions = new AtomicInteger();
    private final ExecutorService commandThreads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "test-upstream-git");
        thread.setDaemon(true);
        return thread;
    });

    private SshGitUpstream(Path root) throws IOException {
        this.root = root;
        this.hostKey = newEcKey();
        this.clientKey = newEcKey();
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);
        server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
        server.setCommandFactory((channel, command) -> new GitCommand(command));
        server.start();
    }

    /** Starts a server whose repositories live under {@code root}. */
    public static SshGitUpstream start(Path root) throws IOException {
        return new SshGitUpstream(root);
    }

    public int port() {
        return server.getPort();
    }

    /** Returns the host key as an OpenSSH public key line, the form KnownHostKey takes. */
    public String hostKeyLine() {
        return PublicKeyEntry.toString(hostKey.getPublic());
    }

    /** Returns the accepted client key as OpenSSH private key text. */
    public byte[] clientPrivateKey() {
        return privateKeyText(clientKey);
    }

    public PublicKey clientPublicKey() {
        return clientKey.getPublic();
    }

    /** Returns a fresh key pair's public line, for tests that pin the wrong key. */
    public static String unrelatedHostKeyLine() {
        return PublicKeyEntry.toString(newEcKey().getPublic());
    }

    /** Returns a fresh private key the server does not accept. */
    public static byte[] unrelatedPrivateKey() {
        return privateKeyText(newEcKey());
    }

    public void behaviour(Behaviour value) {
        behaviour.set(value);
    }

    public int receivePackSessions() {
        return receivePackSessions.get();
    }

    /** Creates (or opens) the bare repository {@code <name>.git} under the root. */
    public Repository repository(String name) throws IOException {
        Repository repository = new FileRepositoryBuilder().setGitDir(root.resolve(name + ".git").toFile()).setBare().build();
        if (!repository.getObjectDatabase().exists()) {
            repository.create(true);
        }
        return repository;
    }

    /** Returns the scp-like URL of a repository, with the host name given. */
    public String url(String host, String name) {
        return "ssh://git@" + host + ":" + port() + "/" + name + ".git";
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
        commandThreads.shutdownNow();
    }

    private static KeyPair newEcKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError("the JDK always provides EC P-256", e);
        }
    }

    private static byte[] privateKeyText(KeyPair key) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test-client", null, out);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("writing an in-memory key cannot fail", e);
        }
    }

    /** One exec request: {@code git-upload-pack '/name.git'} or {@code git-receive-pack '/name.git'}. */
    private final class GitCommand implements Command {
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;

        GitCommand(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream value) {
            in = value;
        }

        @Override
        public void setOutputStream(OutputStream value) {
            out = value;
        }

        @Override
        public void setErrorStream(OutputStream value) {
            err = value;
        }

        @Override
        public void setExitCallback(ExitCallback value) {
            exit = value;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            commandThreads.execute(this::run);
        }

        private void run() {
            Behaviour now = behaviour.get();
            boolean receive = command.startsWith("git-receive-pack ");
            if (now == Behaviour.HANG || (receive && now == Behaviour.HANG_ON_PUSH)) {
                return;
            }
            try (Repository repository = repository(repositoryName())) {
                if (receive) {
                    receivePackSessions.incrementAndGet();
                    ReceivePack pack = new ReceivePack(repository);
                    if (now == Behaviour.DENY_REWRITES) {
                        pack.setAllowNonFastForwards(false);
                        pack.setAllowDeletes(false);
                    }
                    if (now == Behaviour.REJECT_PUSHES) {
                        pack.setPreReceiveHook((rp, commands) -> commands.forEach(
                                c -> c.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, HOOK_REASON)));
                    }
                    pack.receive(in, out, err);
                } else if (command.startsWith("git-upload-pack ")) {
                    new UploadPack(repository).upload(in, out, err);
                } else {
                    err.write(("unsupported command: " + command + "\n").getBytes(StandardCharsets.UTF_8));
                    err.flush();
                    exit.onExit(127);
                    return;
                }
                exit.onExit(0);
            } catch (IOException | RuntimeException e) {
                exit.onExit(1, e.toString());
            }
        }

        private String repositoryName() {
            String path = command.substring(command.indexOf(' ') + 1).replace("'", "").strip();
            path = path.startsWith("/") ? path.substring(1) : path;
            if (!path.endsWith(".git") || path.contains("/") || path.contains("..")) {
                throw new IllegalArgumentException("unsupported repository path " + path);
            }
            return path.substring(0, path.length() - 4);
        }

        @Override
        public void destroy(ChannelSession channel) {
            // Streams close with the channel; a hanging command thread ends with the executor.
        }
    }
}
