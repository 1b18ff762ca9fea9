package dev.claudebottle.dlp.bench;

import dev.claudebottle.dlp.SecretScanner;
import dev.claudebottle.dlp.StreamScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Single-thread throughput of the built-in rules over ordinary source text: one operation scans
 * the whole corpus, file by file, so throughput in MB/s is the corpus size divided by the time per
 * operation (bench/dlp-rules.sh prints both).
 *
 * <p>The corpus directory comes from {@code -Ddlp.bench.corpus=DIR}; without it, at least 32 MiB
 * of the JDK's src.zip is unpacked to a temporary directory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class ScanBenchmark {
    private static final int CHUNK = 64 * 1024;

    private SecretScanner scanner;
    private List<byte[]> files;
    private long bytes;

    @Setup(Level.Trial)
    public void loadCorpus() throws IOException {
        String configured = System.getProperty("dlp.bench.corpus");
        Path dir;
        if (configured != null) {
            dir = Path.of(configured);
        } else {
            dir = Files.createTempDirectory("dlp-bench-corpus");
            Corpus.extract(Corpus.findSrcZip(), dir, 32L << 20);
        }
        files = Corpus.read(dir);
        bytes = files.stream().mapToLong(f -> f.length).sum();
        scanner = SecretScanner.withBuiltInRules();
        System.out.printf("%ncorpus: %d files, %d bytes (%.1f MiB) from %s%n", files.size(), bytes, bytes / 1048576.0, dir);
    }

    /** Scans each file as one array, as git-gate and the CLI's callers would. */
    @Benchmark
    public void scanFiles(Blackhole blackhole) {
        for (byte[] file : files) {
            blackhole.consume(scanner.scan(file, 0, file.length));
        }
    }

    /** Feeds each file through a stream scan in 64 KiB chunks, as the egress proxy does with bodies. */
    @Benchmark
    public void streamFiles(Blackhole blackhole) {
        for (byte[] file : files) {
            StreamScan scan = scanner.newStream();
            for (int offset = 0; offset < file.length; offset += CHUNK) {
                blackhole.consume(scan.feed(file, offset, Math.min(CHUNK, file.length - offset)));
            }
            blackhole.consume(scan.finish());
        }
    }
}
