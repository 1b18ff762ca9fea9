package dev.claudebottle.launcher.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds the build contexts of the two images in a claude-bottle checkout: {@code docker/agent},
 * and {@code docker/bundle} plus {@code bundle-init/target/bundle-init.jar}.
 *
 * @param checkout the checkout's top folder
 */
public record ImageSources(Path checkout) {

    static final String AGENT_CA_ENTRY = "extra-ca/extra-ca.pem";

    /**
     * Walks up from each start folder to the first one holding {@code docker/agent/Dockerfile}.
     * The launcher passes the folder of its own jar and the working directory.
     */
    public static Optional<ImageSources> find(List<Path> starts) {
        for (Path start : starts) {
            for (Path folder = start.toAbsolutePath().normalize(); folder != null; folder = folder.getParent()) {
                if (Files.isRegularFile(folder.resolve("docker/agent/Dockerfile"))
                        && Files.isRegularFile(folder.resolve("docker/bundle/Dockerfile"))) {
                    return Optional.of(new ImageSources(folder));
                }
            }
        }
        return Optional.empty();
    }

    /** Returns the agent image's recipe: the files of {@code docker/agent}, which trust an extra CA while building. */
    public ImageRecipe agent(String tag) {
        Map<String, Path> files = contextFiles(checkout.resolve("docker/agent"));
        files.remove(AGENT_CA_ENTRY);
        return new ImageRecipe(tag, files, AGENT_CA_ENTRY);
    }

    /**
     * The bundle image: the files of {@code docker/bundle} with the freshly built
     * {@code bundle-init/target/bundle-init.jar}, or empty when that jar has not been built.
     */
    public Optional<ImageRecipe> bundle(String tag) {
        Path jar = checkout.resolve("bundle-init/target/bundle-init.jar");
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        Map<String, Path> files = contextFiles(checkout.resolve("docker/bundle"));
        files.put("bundle-init.jar", jar);
        return Optional.of(new ImageRecipe(tag, files, null));
    }

    /** Lists the regular files below {@code folder} by relative path, leaving out {@code .gitignore} files. */
    private static Map<String, Path> contextFiles(Path folder) {
        Map<String, Path> files = new TreeMap<>();
        try (var walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                if (!file.getFileName().toString().equals(".gitignore")) {
                    files.put(folder.relativize(file).toString(), file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the build context " + folder, e);
        }
        return files;
    }
}
