package dev.claudebottle.gitgate.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class AllowMarkerFilterTest {

    @Test
    void defusesMarkerInAnyCase() {
        String defused = AllowMarkerFilter.defuse("a # gitleaks:allow b // GitLeaks:ALLOW");

        assertThat(defused).isEqualTo("a # gitleaks;allow b // GitLeaks;ALLOW");
    }

    @Test
    void defusesMarkerSplitAcrossEveryPossibleWrite() throws IOException {
        byte[] input = "token = x # gitleaks:allow\nnext line\n".getBytes(StandardCharsets.UTF_8);

        for (int split = 0; split <= input.length; split++) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (AllowMarkerFilter filter = new AllowMarkerFilter(sink)) {
                filter.write(input, 0, split);
                filter.write(input, split, input.length - split);
            }

            assertThat(sink.toString(StandardCharsets.UTF_8)).as("split at %d", split)
                    .isEqualTo("token = x # gitleaks;allow\nnext line\n");
        }
    }

    @Test
    void keepsLengthSoLineNumbersAndColumnsHold() throws IOException {
        byte[] input = ("x".repeat(70_000) + "gitleaks:allow" + "y".repeat(70_000)).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();

        try (AllowMarkerFilter filter = new AllowMarkerFilter(sink)) {
            for (byte b : input) {
                filter.write(b);
            }
        }

        assertThat(sink.size()).isEqualTo(input.length);
        assertThat(sink.toString(StandardCharsets.US_ASCII)).doesNotContain("gitleaks:allow").contains("gitleaks;allow");
    }
}
