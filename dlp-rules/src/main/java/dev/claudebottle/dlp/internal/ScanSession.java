package dev.claudebottle.dlp.internal;

import dev.claudebottle.dlp.Finding;
import dev.claudebottle.dlp.Rule;
import dev.claudebottle.dlp.StreamScan;
import dev.claudebottle.dlp.internal.ScannerModel.Decoder;
import dev.claudebottle.dlp.internal.ScannerModel.Kind;
import dev.claudebottle.dlp.internal.ScannerModel.Literal;
import dev.claudebottle.dlp.internal.ScannerModel.PatternInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The scanning engine: one pass of the keyword automaton over the bytes, then, for each hit, a
 * job that runs once enough bytes after it are available. A keyword job tries its rule's regex at
 * the keyword, and a literal job compares the value. A decode job decodes a window around the
 * trigger and scans the decoded bytes with a nested session.
 *
 * <p>The same code serves a whole array ({@link #scanAll}, which reads the caller's array without
 * copying) and a stream ({@link #feed}, which copies into a window that it compacts, so memory
 * stays at about the held-back tail plus one slice).
 */
public final class ScanSession implements StreamScan {
    /** Bytes the automaton runs over between two rounds of jobs; bounds the pending job list. */
    private static final int SLICE = 64 * 1024;
    /** Bytes after a match that boundary checks such as {@code \b} may read. */
    private static final int LOOKAHEAD = 8;
    /** Bytes kept before the earliest region, for lookbehind and boundary checks. */
    private static final int LOOKBEHIND = 64;

    private final ScannerModel model;
    private final int depth;
    private final boolean borrowed;
    private final Matcher[] matchers;
    private final Latin1View view = new Latin1View();
    private final KeywordAutomaton.HitSink sink = this::onHit;

    private byte[] buf;
    /** Index in {@link #buf} of the byte at absolute offset {@link #bufStart}. */
    private int base;
    private long bufStart;
    /** Index just after the last available byte. */
    private int limit;
    private int automatonState;
    /** Index up to which the automaton has run. */
    private int scannedTo;
    private boolean finished;
    private long released;

    private final List<Job> pending = new ArrayList<>();
    private final long[] decodedUntil = new long[Decoder.values().length];
    private final Set<FindingKey> reported = new HashSet<>();
    private final ArrayDeque<FindingKey> reportedOrder = new ArrayDeque<>();
    private List<Finding> out = new ArrayList<>();
    /** Generic-rule findings waiting until any overlapping specific finding would have been reported. */
    private final List<Deferred> deferred = new ArrayList<>();
    /** Spans of recent specific-rule findings, in report order, that can still overlap a deferred one. */
    private final ArrayDeque<long[]> specificSpans = new ArrayDeque<>();

    private record Job(Kind kind, int target, long start, long hitEnd, long regionStart, long readyAt) {
    }

    private static final Comparator<Job> JOB_ORDER = Comparator.comparingLong(Job::hitEnd);

    private record FindingKey(String ruleId, long start, long end) {
    }

    private record Deferred(Finding finding, long emitAt) {
    }

    private ScanSession(ScannerModel model, int depth, byte[] buf, int offset, int length, boolean borrowed) {
        this.model = model;
        this.depth = depth;
        this.borrowed = borrowed;
        this.matchers = new Matcher[model.rules.size()];
        this.buf = buf;
        this.base = offset;
        this.limit = offset + length;
        this.automatonState = model.automaton.initialState();
        Arrays.fill(decodedUntil, Long.MIN_VALUE);
    }

    /** Starts a stream scan. */
    public static ScanSession stream(ScannerModel model) {
        return new ScanSession(model, 0, new byte[4096], 0, 0, false);
    }

    /** Scans {@code data[offset, offset + length)} in place and returns all findings, offsets relative to {@code offset}. */
    public static List<Finding> scanAll(ScannerModel model, byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        return scanAll(model, data, offset, length, 0);
    }

    private static List<Finding> scanAll(ScannerModel model, byte[] data, int offset, int length, int depth) {
        ScanSession session = new ScanSession(model, depth, data, offset, length, true);
        int end = offset + length;
        for (int from = offset; from < end; from += SLICE) {
            session.runAutomaton(from, Math.min(end, from + SLICE));
            session.runJobs();
        }
        session.finished = true;
        session.runJobs();
        return sorted(session.out);
    }

    @Override
    public List<Finding> feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (finished) {
            throw new IllegalStateException("feed after finish: start a new stream scan");
        }
        out = new ArrayList<>();
        while (length > 0) {
            int n = Math.min(length, SLICE);
            makeRoom(n);
            System.arraycopy(bytes, offset, buf, limit, n);
            int from = limit;
            limit += n;
            runAutomaton(from, limit);
            runJobs();
            offset += n;
            length -= n;
        }
        pruneReported();
        return sorted(out);
    }

    @Override
    public long releasable() {
        long end = position();
        if (finished) {
            released = end;
            return released;
        }
        long limitOffset = end - model.holdBack;
        for (Job job : pending) {
            limitOffset = Math.min(limitOffset, job.regionStart);
        }
        for (Deferred d : deferred) {
            limitOffset = Math.min(limitOffset, d.finding.start());
        }
        released = Math.max(released, Math.max(0, limitOffset));
        return released;
    }

    @Override
    public List<Finding> finish() {
        if (finished) {
            throw new IllegalStateException("finish called twice");
        }
        out = new ArrayList<>();
        finished = true;
        runJobs();
        return sorted(out);
    }

    @Override
    public long position() {
        return bufStart + (limit - base);
    }

    private long absolute(int index) {
        return bufStart + (index - base);
    }

    private int index(long absolute) {
        return (int) (absolute - bufStart) + base;
    }

    /** Drops bytes no job or future match can need, then grows the window if {@code n} bytes still do not fit. */
    private void makeRoom(int n) {
        if (limit + n <= buf.length) {
            return;
        }
        long keepFrom = position() - model.holdBack;
        for (Job job : pending) {
            keepFrom = Math.min(keepFrom, job.regionStart);
        }
        keepFrom = Math.max(bufStart, keepFrom - LOOKBEHIND);
        int keepIndex = index(keepFrom);
        int kept = limit - keepIndex;
        byte[] target = kept + n <= buf.length ? buf : new byte[Math.max(2 * buf.length, kept + n)];
        System.arraycopy(buf, keepIndex, target, 0, kept);
        buf = target;
        bufStart = keepFrom;
        base = 0;
        limit = kept;
        scannedTo = kept;
    }

    private void runAutomaton(int from, int to) {
        automatonState = model.automaton.scan(buf, from, to, automatonState, sink);
        scannedTo = to;
        // The automaton reports hits out of order; decode jobs rely on running in input order.
        pending.sort(JOB_ORDER);
    }

    private void onHit(int patternId, int endIndex) {
        PatternInfo pattern = model.patterns[patternId];
        long end = absolute(endIndex);
        long start = end - pattern.length();
        switch (pattern.kind()) {
            case KEYWORD -> {
                int maxLength = model.rules.get(pattern.target()).maxLength();
                pending.add(new Job(Kind.KEYWORD, pattern.target(), start, end, start, start + maxLength + LOOKAHEAD));
            }
            case LITERAL -> {
                int length = model.literals.get(pattern.target()).value().length;
                pending.add(new Job(Kind.LITERAL, pattern.target(), start, end, start, start + length));
            }
            case DECODE -> addDecodeJob(pattern.target(), start, end);
        }
    }

    /**
     * Queues decoding of the window around a trigger: the encoded secret may start up to
     * {@code reach} bytes before the trigger and end up to {@code reach} after it. Decoding waits
     * until the window's end is available.
     */
    private void addDecodeJob(int decoder, long start, long end) {
        if (depth >= ScannerModel.MAX_DECODE_DEPTH || end <= decodedUntil[decoder]) {
            return;
        }
        long reach = (long) Decoder.values()[decoder].expansion * model.maxSecretLength;
        long windowStart = Math.max(bufStart, start - reach);
        pending.add(new Job(Kind.DECODE, decoder, start, end, windowStart, end + reach));
    }

    /** Runs every job whose bytes are all available (all of them once the input is complete). */
    private void runJobs() {
        long available = position();
        boolean all = finished || borrowed;
        int kept = 0;
        for (int i = 0; i < pending.size(); i++) {
            Job job = pending.get(i);
            if (all || job.readyAt <= available) {
                run(job);
            } else {
                pending.set(kept++, job);
            }
        }
        pending.subList(kept, pending.size()).clear();
        flushDeferred();
    }

    private void run(Job job) {
        switch (job.kind) {
            case KEYWORD -> runRule(job);
            case LITERAL -> runLiteral(job);
            case DECODE -> runDecode(job);
        }
    }

    private void runRule(Job job) {
        Rule rule = model.rules.get(job.target);
        int start = index(job.start);
        int end = (int) Math.min(limit, (long) start + rule.maxLength());
        Matcher matcher = matchers[job.target];
        if (matcher == null) {
            matcher = rule.pattern().matcher(view);
            matcher.useTransparentBounds(true).useAnchoringBounds(false);
            matchers[job.target] = matcher;
        }
        matcher.region(start - base, end - base);
        if (!matcher.lookingAt()) {
            return;
        }
        int secretStart = matcher.start(rule.secretGroup());
        int secretEnd = matcher.end(rule.secretGroup());
        if (secretStart < 0 || secretEnd <= secretStart) {
            return;
        }
        String secret = new String(buf, base + secretStart, secretEnd - secretStart, StandardCharsets.ISO_8859_1);
        if (SecretChecks.accepts(rule, secret, buf, base + secretStart, base + secretEnd)) {
            report(rule.id(), rule.description(), bufStart + secretStart, bufStart + secretEnd, Finding.redact(secret), "plain");
        }
    }

    private void runLiteral(Job job) {
        Literal literal = model.literals.get(job.target);
        int start = index(job.start);
        byte[] value = literal.value();
        if (start + value.length > limit
                || !Arrays.equals(buf, start, start + value.length, value, 0, value.length)) {
            return;
        }
        String shown = new String(value, 0, Math.min(value.length, Finding.SAMPLE_CHARS), StandardCharsets.ISO_8859_1);
        report(literal.id(), literal.description(), job.start, job.start + value.length,
                Finding.redact(shown, value.length), "plain");
    }

    private void runDecode(Job job) {
        Decoder decoder = Decoder.values()[job.target];
        if (job.hitEnd <= decodedUntil[job.target]) {
            return;
        }
        int from = Math.max(base, index(job.regionStart));
        int to = Math.min(limit, index(job.readyAt));
        int hit = index(job.hitEnd) - 1;
        List<Decoded> decodedList = switch (decoder) {
            case BASE64 -> Decoders.base64Run(buf, from, to, hit);
            case HEX -> Decoders.hexRun(buf, from, to, hit);
            case PERCENT -> List.of(Decoders.percent(buf, segmentStart(from, hit, false), segmentEnd(hit, to, false)));
            case JSON -> List.of(Decoders.jsonEscapes(buf, segmentStart(from, hit, true), segmentEnd(hit, to, true)));
        };
        for (Decoded decoded : decodedList) {
            decodedUntil[job.target] = Math.max(decodedUntil[job.target], absolute(decoded.sourceIndex()[decoded.length()]));
        }
        for (Decoded decoded : decodedList) {
            for (Finding inner : scanAll(model, decoded.bytes(), 0, decoded.length(), depth + 1)) {
                long start = absolute(decoded.sourceIndex()[(int) inner.start()]);
                long end = absolute(decoded.sourceIndex()[(int) inner.end()]);
                String encoding = inner.encoding().equals("plain") ? decoder.label : decoder.label + "+" + inner.encoding();
                report(inner.ruleId(), inner.description(), start, end, inner.redacted(), encoding);
            }
        }
    }

    private static List<Finding> sorted(List<Finding> findings) {
        findings.sort(Comparator.comparingLong(Finding::start).thenComparingLong(Finding::end));
        return findings;
    }

    private static boolean isGeneric(String ruleId) {
        return ruleId.startsWith("generic-");
    }

    /**
     * Returns the start of the escaped text around {@code hit}. URL-encoded text lives inside one
     * token, so it ends at the nearest quote or whitespace. A JSON string ends at an unescaped
     * quote or a line break, and may contain spaces and escaped quotes.
     */
    private int segmentStart(int from, int hit, boolean json) {
        int i = hit;
        while (i > from && !isSegmentEnd(i - 1, from, json)) {
            i--;
        }
        return i;
    }

    private int segmentEnd(int hit, int to, boolean json) {
        int i = hit;
        while (i < to && !isSegmentEnd(i, base, json)) {
            i++;
        }
        return i;
    }

    private boolean isSegmentEnd(int i, int lowest, boolean json) {
        byte b = buf[i];
        if (b == '\n' || b == '\r') {
            return true;
        }
        if (json) {
            return b == '"' && (i == lowest || buf[i - 1] != '\\');
        }
        return b == '"' || b == '\'' || b == ' ' || b == '\t';
    }

    /**
     * Reports a finding once. A generic-rule finding (id {@code generic-*}) is deferred until every
     * job that could find a specific secret overlapping it has run, and is dropped if one did: the
     * specific rule names the secret better.
     */
    private void report(String ruleId, String description, long start, long end, String redacted, String encoding) {
        FindingKey key = new FindingKey(ruleId, start, end);
        if (!reported.add(key)) {
            return;
        }
        reportedOrder.add(key);
        Finding finding = new Finding(ruleId, description, start, end, redacted, encoding);
        if (isGeneric(ruleId)) {
            deferred.add(new Deferred(finding, end + model.maxSecretLength + LOOKAHEAD));
        } else {
            specificSpans.add(new long[] {start, end});
            out.add(finding);
        }
    }

    /** Emits deferred generic findings whose wait is over, unless a specific finding overlaps them. */
    private void flushDeferred() {
        long available = absolute(scannedTo);
        boolean all = finished;
        int kept = 0;
        for (int i = 0; i < deferred.size(); i++) {
            Deferred d = deferred.get(i);
            if (!all && d.emitAt > available) {
                deferred.set(kept++, d);
            } else if (!overlapsSpecific(d.finding)) {
                out.add(d.finding);
            }
        }
        deferred.subList(kept, deferred.size()).clear();
        long oldestNeeded = deferred.isEmpty() ? available - model.holdBack : deferred.get(0).finding.start();
        while (!specificSpans.isEmpty() && specificSpans.peek()[1] < oldestNeeded - model.holdBack) {
            specificSpans.poll();
        }
    }

    private boolean overlapsSpecific(Finding finding) {
        for (long[] span : specificSpans) {
            if (span[0] < finding.end() && finding.start() < span[1]) {
                return true;
            }
        }
        return false;
    }

    /** Forgets reported findings that lie wholly before the retained window; they cannot recur. */
    private void pruneReported() {
        long before = bufStart - model.holdBack;
        while (!reportedOrder.isEmpty() && reportedOrder.peek().end() < before) {
            reported.remove(reportedOrder.poll());
        }
    }

    /** The window as characters, one per byte (ISO-8859-1), for {@link java.util.regex}. */
    private final class Latin1View implements CharSequence {
        @Override
        public int length() {
            return limit - base;
        }

        @Override
        public char charAt(int index) {
            return (char) (buf[base + index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(buf, base + start, end - start, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return "window[" + length() + " bytes]";
        }
    }
}
