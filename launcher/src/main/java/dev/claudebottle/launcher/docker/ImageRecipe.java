package dev.claudebottle.launcher.docker;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to build one image: its tag and the files of its build context.
 *
 * @param tag the image reference, such as {@code claude-bottle/agent:latest}
 * @param files each file of the context by its path inside the context, {@code Dockerfile} among them
 * @param caEntry where an extra CA bundle goes in the context when the build is given one, or
 *     null when the Dockerfile takes none
 */
public record ImageRecipe(String tag, Map<String, Path> files, String caEntry) {

    public ImageRecipe {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }
}
