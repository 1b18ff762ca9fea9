package dev.claudebottle.launcher.plan;

/** Asks the Docker engine which container runtime a bottle gets: gVisor when the engine has it. */
@FunctionalInterface
public interface RuntimeProbe {

    ContainerRuntime choose();
}
