package dev.claudebottle.egress.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

import dev.claudebottle.egress.EgressProxyException;

/**
 * A credential that a co-located proxy injects, declared so that DLP lets it through toward its
 * own host and treats it as a leak toward any other. The value is never part of the YAML: it is
 * given through the Java API, or named as a file or an environment variable.
 *
 * @param name label used in findings and the audit log (never the value)
 * @param source where the value comes from
 * @param host normalised host the value may be sent to (exact name or {@code *.suffix})
 */
public record CredentialBinding(String name, ValueSource source, String host) {

    public CredentialBinding {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(host, "host");
    }

    /** Binds a value held in memory (the bundle reads it from its tmpfs). The array is copied. */
    public static CredentialBinding ofValue(String name, byte[] value, String host) {
        return new CredentialBinding(name, new ValueSource.Inline(value.clone()), host);
    }

    /** Reads the value; a trailing newline in a file is dropped. */
    public byte[] readValue() {
        return source.read(name);
    }

    /** Where a credential value is read from. */
    public sealed interface ValueSource {

        byte[] read(String bindingName);

        /** A value handed over through the Java API. */
        record Inline(byte[] value) implements ValueSource {
            @Override
            public byte[] read(String bindingName) {
                return value.clone();
            }

            @Override
            public String toString() {
                return "Inline[value redacted]";
            }

            @Override
            public boolean equals(Object other) {
                return other instanceof Inline inline && Arrays.equals(value, inline.value);
            }

            @Override
            public int hashCode() {
                return Arrays.hashCode(value);
            }
        }

        /** A file holding the value. */
        record FromFile(Path path) implements ValueSource {
            @Override
            public byte[] read(String bindingName) {
                try {
                    return stripTrailingNewline(Files.readAllBytes(path));
                } catch (IOException e) {
                    throw new EgressProxyException("cannot read credential '" + bindingName
                            + "' from " + path + ": " + e.getMessage()
                            + "; check that the file exists and is readable", e);
                }
            }
        }

        /** An environment variable holding the value. */
        record FromEnv(String variable) implements ValueSource {
            @Override
            public byte[] read(String bindingName) {
                String value = System.getenv(variable);
                if (value == null || value.isEmpty()) {
                    throw new EgressProxyException("credential '" + bindingName
                            + "' names environment variable " + variable
                            + ", which is not set; export it or use value_file");
                }
                return value.getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    private static byte[] stripTrailingNewline(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--;
        }
        return end == bytes.length ? bytes : Arrays.copyOf(bytes, end);
    }
}
