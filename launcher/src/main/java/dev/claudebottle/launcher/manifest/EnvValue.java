package dev.claudebottle.launcher.manifest;

/**
 * The value of one {@code env} entry of a bottle, in one of its three manifest forms.
 */
public sealed interface EnvValue {

    /** Describes the value's source for the preflight, never showing a value itself. */
    String describeSource();

    /** A value written in the manifest; it contains no line break. */
    record Literal(String value) implements EnvValue {

        @Override
        public String describeSource() {
            return "set in the manifest";
        }

        @Override
        public String toString() {
            return "Literal[value hidden]";
        }
    }

    /** {@code "${NAME}"}: the value of the host's environment variable {@code NAME}, read at launch. */
    record HostVariable(String name) implements EnvValue {

        @Override
        public String describeSource() {
            return "copied from host variable " + name;
        }
    }

    /** {@code "?"} or {@code "?prompt text"}: asked for at launch, without echo. */
    record Prompt(String promptText) implements EnvValue {

        @Override
        public String describeSource() {
            return "asked for at launch";
        }
    }
}
