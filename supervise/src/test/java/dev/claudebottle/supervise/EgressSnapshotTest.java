package dev.claudebottle.supervise;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EgressSnapshotTest {

    private final EgressSnapshot snapshot = new EgressSnapshot(
            List.of("api.example.com", "*.github.com", "git.example.org:8443", "broken:port"), List.of());

    @Test
    void exactNameCoversDefaultPorts() {
        assertThat(snapshot.allows("api.example.com", 443)).isTrue();
        assertThat(snapshot.allows("API.example.com", 80)).isTrue();
        assertThat(snapshot.allows("api.example.com", 8080)).isFalse();
        assertThat(snapshot.allows("example.com", 443)).isFalse();
    }

    @Test
    void wildcardCoversSubdomainsOnly() {
        assertThat(snapshot.allows("api.github.com", 443)).isTrue();
        assertThat(snapshot.allows("a.b.github.com", 443)).isTrue();
        assertThat(snapshot.allows("github.com", 443)).isFalse();
        assertThat(snapshot.allows("evilgithub.com", 443)).isFalse();
    }

    @Test
    void entryWithPortCoversOnlyThatPort() {
        assertThat(snapshot.allows("git.example.org", 8443)).isTrue();
        assertThat(snapshot.allows("git.example.org", 443)).isFalse();
        assertThat(snapshot.allows("broken", 443)).isFalse();
    }
}
