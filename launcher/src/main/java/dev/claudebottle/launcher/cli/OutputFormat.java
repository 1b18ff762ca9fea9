package dev.claudebottle.launcher.cli;

/** The output format of a command: text for people, JSON for scripts. */
enum OutputFormat {
    TEXT,
    JSON
}
