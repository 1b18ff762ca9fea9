package dev.claudebottle.egress.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path dir;

    @Test
    void timeTextMatchesInstantToString() {
        AuditLog.TimeText times = new AuditLog.TimeText();
        List<Instant> instants = List.of(
                Instant.parse("2026-12-04T22:51:18Z"),
                Instant.parse("2026-12-04T22:51:18.100Z"),
                Instant.parse("2026-12-04T22:51:18.000001Z"),
                Instant.parse("2026-12-04T22:51:18.123456Z"),
                Instant.parse("2026-12-04T22:51:18.000000001Z"),
                Instant.parse("2026-12-04T22:51:19.120Z"),
                Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.now());

        for (Instant instant : instants) {
            assertThat(times.format(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void writesEveryRecordFromConcurrentThreadsBeforeClose() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog audit = AuditLog.open(file, null);
        int threads = 4;
        int perThread = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    audit.record(record(base + i));
                }
                return null;
            }));
        }

        start.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        audit.close();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(threads * perThread);
        boolean[] seen = new boolean[threads * perThread];
        for (String line : lines) {
            seen[(int) connField(line)] = true;
        }
        for (int i = 0; i < seen.length; i++) {
            assertThat(seen[i]).as("record %d", i).isTrue();
        }
    }

    @Test
    void fileLineEqualsToJson() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditRecord record = record(7);
        AuditLog audit = AuditLog.open(file, null);

        audit.record(record);
        audit.close();

        assertThat(Files.readString(file)).isEqualTo(AuditLog.toJson(record));
    }

    @Test
    void recordAfterCloseIsLeftOut() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        AuditLog audit = AuditLog.open(file, null);
        audit.record(record(1));
        audit.close();

        audit.record(record(2));

        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    private static AuditRecord record(long conn) {
        return new AuditRecord(Instant.now(), conn, "127.0.0.1:40000", "GET", "api.example.com", 443,
                "/v1/x?key=", AuditRecord.Decision.ALLOWED, "api.example.com", 200, 0, 1024, 3, null);
    }

    private static long connField(String line) throws Exception {
        try (JsonParser p = new JsonFactory().createParser(line)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("conn")) {
                    p.nextToken();
                    return p.getLongValue();
                }
            }
        }
        throw new AssertionError("no conn field in " + line);
    }
}
