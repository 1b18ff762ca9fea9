package dev.claudebottle.launcher.dashboard;

import dev.claudebottle.launcher.plan.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Lists the bottles that have a state folder, running or not. */
@FunctionalInterface
public interface BottleDirectory {

    /**
     * Lists the bottles, ordered by identity.
     *
     * @throws DashboardException when the state root cannot be listed
     */
    List<BottleState> list();

    /**
     * Returns the directory of {@code stateRoot} ({@code ~/.claude-bottle/state}): every subfolder
     * whose name is a well-formed identity. A missing root means no bottles.
     */
    static BottleDirectory of(Path stateRoot) {
        return () -> {
            if (!Files.isDirectory(stateRoot)) {
                return List.of();
            }
            List<BottleState> bottles = new ArrayList<>();
            try (Stream<Path> folders = Files.list(stateRoot)) {
                for (Path folder : folders.sorted().toList()) {
                    String name = folder.getFileName().toString();
                    if (Files.isDirectory(folder) && Identity.isWellFormed(name)) {
                        bottles.add(new BottleState(name, folder));
                    }
                }
            } catch (IOException e) {
                throw new DashboardException("cannot list the bottles' state folders in " + stateRoot,
                        String.valueOf(e.getMessage()), "check the folder's permissions", e);
            }
            return bottles;
        };
    }
}
