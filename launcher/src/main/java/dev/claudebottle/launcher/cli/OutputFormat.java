package dev.claudebottle.launcher.cli;

/** How a command prints its result: text for people, JSON for scripts. */
enum OutputFormat {
    TEXT,
    JSON
}
