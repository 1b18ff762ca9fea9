package dev.claudebottle.launcher.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import dev.claudebottle.launcher.LauncherException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds an image when it is missing or was built from another build context.
 *
 * <p>An image built here carries the SHA-256 of its context in the label
 * {@link BottleLabels#CONTEXT_SHA256}. A changed Dockerfile or jar changes the hash and causes a
 * rebuild. An image without the label was built some other way (for example by
 * {@code scripts/build-images.sh}) and is used as it is.
 */
public final class ImageBuilder {

    /** An upper bound for one build; the agent image takes about a minute with a warm network. */
    static final long BUILD_TIMEOUT_MINUTES = 30;

    private final DockerClient client;
    private final PrintWriter progress;
    private boolean builtAny;

    /** @param progress receives build output line by line, for the user to watch */
    public ImageBuilder(DockerClient client, PrintWriter progress) {
        this.client = client;
        this.progress = progress;
    }

    /** What {@link #ensure} found or did. */
    public enum Outcome { UP_TO_DATE, BUILT_ELSEWHERE, BUILT }

    /**
     * Makes sure {@code image} exists and is current.
     *
     * @param recipe how to build it, or empty when no build context is at hand
     * @param buildCa a PEM bundle trusted while the image fetches packages, for networks that
     *     inspect TLS; it does not count toward the context hash because it changes no content
     * @throws LauncherException when the image is missing and cannot be built, or the build fails
     */
    public Outcome ensure(String image, Optional<ImageRecipe> recipe, Optional<Path> buildCa) {
        Optional<InspectImageResponse> existing = inspect(image);
        if (recipe.isEmpty()) {
            if (existing.isPresent()) {
                return Outcome.BUILT_ELSEWHERE;
            }
            throw new LauncherException("the image " + image + " is missing",
                    "no build context was found: the launcher looks for docker/ in the claude-bottle checkout it "
                            + "was built from",
                    "run scripts/build-images.sh --agent in the checkout, or run the launcher from the checkout");
        }
        String hash = contextHash(recipe.get());
        if (existing.isPresent()) {
            Map<String, String> labels = existing.get().getConfig() == null ? null
                    : existing.get().getConfig().getLabels();
            String built = labels == null ? null : labels.get(BottleLabels.CONTEXT_SHA256);
            if (built == null) {
                return Outcome.BUILT_ELSEWHERE;
            }
            if (built.equals(hash)) {
                return Outcome.UP_TO_DATE;
            }
            progress.println("claude-bottle: the build context of " + image + " changed; rebuilding");
        } else {
            progress.println("claude-bottle: building " + image);
        }
        progress.flush();
        build(recipe.get(), hash, buildCa);
        builtAny = true;
        existing.ifPresent(old -> removeReplaced(old.getId()));
        return Outcome.BUILT;
    }

    /** Returns whether any {@link #ensure} call of this builder built an image. */
    public boolean builtAny() {
        return builtAny;
    }

    /**
     * Removes the image a rebuild replaced, which no tag names any more, so rebuilds do not pile
     * up untagged images. One still used by a container or another tag stays.
     */
    private void removeReplaced(String imageId) {
        try {
            InspectImageResponse old = client.inspectImageCmd(imageId).exec();
            if (old.getRepoTags() == null || old.getRepoTags().isEmpty()) {
                client.removeImageCmd(imageId).exec();
            }
        } catch (RuntimeException e) {
            // In use by a container, or removed already: leaving it is harmless.
        }
    }

    private Optional<InspectImageResponse> inspect(String image) {
        try {
            return Optional.of(client.inspectImageCmd(image).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private void build(ImageRecipe recipe, String hash, Optional<Path> buildCa) {
        byte[] context = tar(recipe, buildCa);
        ProgressCallback callback = new ProgressCallback(progress);
        try {
            client.buildImageCmd()
                    .withTarInputStream(new ByteArrayInputStream(context))
                    .withTags(Set.of(recipe.tag()))
                    .withLabels(Map.of(BottleLabels.CONTEXT_SHA256, hash))
                    .withPull(false)
                    .withForcerm(true)
                    .exec(callback)
                    .awaitImageId(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (RuntimeException e) {
            String cause = callback.error != null ? callback.error : DockerEngine.describe(e);
            throw new LauncherException("cannot build the image " + recipe.tag(), cause,
                    "read the build output above; behind a network that inspects TLS, pass its CA bundle with "
                            + "--build-ca /etc/ssl/certs/ca-certificates.crt");
        }
    }

    /** Files at least this large count by size and modification time, not content, in the context hash. */
    static final long HASH_CONTENT_LIMIT = 1 << 20;

    /**
     * Hashes each context file's path and content in path order, leaving out the extra CA. A file
     * of {@link #HASH_CONTENT_LIMIT} or more (the bundle's jar, about 40 MB) counts by size and
     * modification time instead, because hashing it on every start costs about a second on a busy
     * machine; a rebuilt jar has a new modification time.
     */
    static String contextHash(ImageRecipe recipe) {
        MessageDigest digest = sha256();
        for (Map.Entry<String, Path> file : new TreeMap<>(recipe.files()).entrySet()) {
            if (file.getKey().equals(recipe.caEntry())) {
                continue;
            }
            digest.update(file.getKey().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(fingerprint(file.getValue()));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Packs the context as a tar in memory. The contexts are a Dockerfile and at most a jar of a
     * few tens of MiB, so memory is the simpler choice over a temporary file left on failure.
     */
    static byte[] tar(ImageRecipe recipe, Optional<Path> buildCa) {
        Map<String, byte[]> entries = new TreeMap<>();
        recipe.files().forEach((name, path) -> entries.put(name, read(path)));
        if (recipe.caEntry() != null) {
            // The Dockerfile copies the CA's folder, so the entry exists even when empty.
            entries.put(recipe.caEntry(), buildCa.map(ImageBuilder::read).orElse(new byte[0]));
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(buffer)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                TarArchiveEntry header = new TarArchiveEntry(entry.getKey());
                header.setSize(entry.getValue().length);
                header.setMode(0644);
                tar.putArchiveEntry(header);
                tar.write(entry.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack the build context of " + recipe.tag(), e);
        }
        return buffer.toByteArray();
    }

    private static byte[] fingerprint(Path file) {
        try {
            long size = Files.size(file);
            if (size < HASH_CONTENT_LIMIT) {
                return read(file);
            }
            return ("size " + size + " modified " + Files.getLastModifiedTime(file).toMillis())
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LauncherException("cannot read " + file + " for an image build", String.valueOf(e.getMessage()),
                    "check that the file exists and is readable");
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new LauncherException("cannot read " + file + " for an image build", String.valueOf(e.getMessage()),
                    "check that the file exists and is readable");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }

    /** Prints each line of build output and keeps the engine's error, if any. */
    private static final class ProgressCallback extends BuildImageResultCallback {

        private final PrintWriter progress;
        private volatile String error;

        ProgressCallback(PrintWriter progress) {
            this.progress = progress;
        }

        @Override
        public void onNext(BuildResponseItem item) {
            if (item.getStream() != null) {
                progress.print(item.getStream());
                progress.flush();
            }
            if (item.isErrorIndicated()) {
                error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
            }
            super.onNext(item);
        }
    }
}
