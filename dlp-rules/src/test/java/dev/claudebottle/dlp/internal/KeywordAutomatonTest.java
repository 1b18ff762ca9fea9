package dev.claudebottle.dlp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeywordAutomatonTest {
    private static final List<String> PATTERNS = List.of("ghp_", "token", "ok", "-----BEGIN", "tok", "aaaa", "%2f");

    private static Set<String> naiveHits(byte[] data, List<byte[]> patterns) {
        Set<String> hits = new HashSet<>();
        for (int id = 0; id < patterns.size(); id++) {
            byte[] p = patterns.get(id);
            for (int start = 0; start + p.length <= data.length; start++) {
                boolean match = true;
                for (int k = 0; k < p.length && match; k++) {
                    match = Character.toLowerCase((char) (data[start + k] & 0xff)) == Character.toLowerCase((char) (p[k] & 0xff));
                }
                if (match) {
                    hits.add(id + "@" + (start + p.length));
                }
            }
        }
        return hits;
    }

    @Test
    void matchesNaiveSearch() {
        List<byte[]> patterns = PATTERNS.stream().map(p -> p.getBytes(StandardCharsets.US_ASCII)).toList();
        KeywordAutomaton automaton = new KeywordAutomaton(patterns);
        Random random = new Random(42);
        byte[] alphabet = "aAkKoOtTeEnNgGhHpP_-%2fF BEGIN\n\u00ff".getBytes(StandardCharsets.ISO_8859_1);

        for (int round = 0; round < 50; round++) {
            byte[] data = new byte[1 + random.nextInt(20_000)];
            for (int i = 0; i < data.length; i++) {
                data[i] = alphabet[random.nextInt(alphabet.length)];
            }
            Set<String> hits = new HashSet<>();
            int state = automaton.initialState();
            int from = 0;
            while (from < data.length) {
                int to = Math.min(data.length, from + 1 + random.nextInt(8000));
                state = automaton.scan(data, from, to, state, (id, end) -> assertThat(hits.add(id + "@" + end)).isTrue());
                from = to;
            }

            assertThat(hits).as("round %d, %d bytes", round, data.length).isEqualTo(naiveHits(data, patterns));
        }
    }
}
