package dev.claudebottle.launcher.manifest.internal;

/** A 1-based line and column in a manifest file. */
public record Position(int line, int column) {

    /** The position used for problems that concern a whole file. */
    public static final Position FILE = new Position(0, 0);
}
