package dev.claudebottle.dlp.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aho-Corasick automaton over bytes, ASCII case-insensitive, compiled to a dense DFA.
 *
 * <p>Hand-written because the scan loop must stay one table load per byte: the libraries at hand
 * match on {@code char}s and allocate per hit. Bytes are first mapped to equivalence classes (only
 * bytes that occur in some pattern get a class of their own, upper and lower case share one), which
 * keeps the table small enough for the cache. A table entry is the next state's row offset,
 * bit-inverted when that state ends at least one pattern, so the loop needs a single branch.
 */
public final class KeywordAutomaton {
    private final byte[] classOf = new byte[256];
    private final int classCount;
    private final int[] table;
    /** Pattern ids that end in each state, indexed by state number. */
    private final int[][] outputs;
    private final int maxPatternLength;

    /** Receives each pattern occurrence as the automaton reaches its last byte. */
    @FunctionalInterface
    public interface HitSink {
        /**
         * Called once per pattern occurrence.
         *
         * @param pattern index of the pattern in the list given to the constructor
         * @param end index just after the pattern's last byte in the scanned array
         */
        void hit(int pattern, int end);
    }

    /** Builds the automaton; pattern i is reported as id i. Patterns must not be empty. */
    public KeywordAutomaton(List<byte[]> patterns) {
        int classes = 1;
        for (byte[] pattern : patterns) {
            if (pattern.length == 0) {
                throw new IllegalArgumentException("empty pattern");
            }
            for (byte b : pattern) {
                int folded = fold(b & 0xff);
                if (classOf[folded] == 0) {
                    if (classes == 127) {
                        throw new IllegalArgumentException("more than 126 distinct pattern bytes");
                    }
                    classOf[folded] = (byte) classes;
                    if (folded >= 'a' && folded <= 'z') {
                        classOf[folded - 32] = (byte) classes;
                    }
                    classes++;
                }
            }
        }
        this.classCount = classes;

        // Trie of folded patterns, with goto[state][class] = -1 for no edge.
        List<int[]> gotoRows = new ArrayList<>();
        List<List<Integer>> ends = new ArrayList<>();
        gotoRows.add(newRow());
        ends.add(new ArrayList<>());
        int longest = 0;
        for (int id = 0; id < patterns.size(); id++) {
            byte[] pattern = patterns.get(id);
            longest = Math.max(longest, pattern.length);
            int state = 0;
            for (byte b : pattern) {
                int c = classOf[fold(b & 0xff)];
                if (gotoRows.get(state)[c] < 0) {
                    gotoRows.get(state)[c] = gotoRows.size();
                    gotoRows.add(newRow());
                    ends.add(new ArrayList<>());
                }
                state = gotoRows.get(state)[c];
            }
            ends.get(state).add(id);
        }
        this.maxPatternLength = longest;

        // Breadth-first: fill failure transitions into a complete DFA and merge outputs along failure links.
        int states = gotoRows.size();
        int[] fail = new int[states];
        int[][] delta = new int[states][];
        outputs = new int[states][];
        delta[0] = gotoRows.get(0).clone();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < classCount; c++) {
            if (delta[0][c] < 0) {
                delta[0][c] = 0;
            } else {
                fail[delta[0][c]] = 0;
                queue.add(delta[0][c]);
            }
        }
        outputs[0] = toArray(ends.get(0));
        while (!queue.isEmpty()) {
            int state = queue.poll();
            List<Integer> merged = new ArrayList<>(ends.get(state));
            for (int id : outputs[fail[state]]) {
                merged.add(id);
            }
            outputs[state] = toArray(merged);
            delta[state] = gotoRows.get(state).clone();
            for (int c = 0; c < classCount; c++) {
                int next = delta[state][c];
                if (next < 0) {
                    delta[state][c] = delta[fail[state]][c];
                } else {
                    fail[next] = delta[fail[state]][c];
                    queue.add(next);
                }
            }
        }

        table = new int[states * classCount];
        for (int s = 0; s < states; s++) {
            for (int c = 0; c < classCount; c++) {
                int next = delta[s][c];
                int offset = next * classCount;
                table[s * classCount + c] = outputs[next].length > 0 ? ~offset : offset;
            }
        }
    }

    private int[] newRow() {
        int[] row = new int[classCount];
        Arrays.fill(row, -1);
        return row;
    }

    private static int[] toArray(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int fold(int b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** Returns the start state, to pass to the first {@link #scan} call. */
    public int initialState() {
        return 0;
    }

    /** Length of the longest pattern in bytes. */
    public int maxPatternLength() {
        return maxPatternLength;
    }

    /** Number of DFA states. */
    public int stateCount() {
        return table.length / classCount;
    }

    /**
     * Runs the automaton over {@code data[from, to)} starting in {@code state}, reports every
     * pattern end to {@code sink}, and returns the state to continue from with the next bytes.
     * Hits are reported in no particular order.
     *
     * <p>Each step waits for the table load of the step before, so a long range is cut in two
     * halves walked in the same loop: the CPU overlaps their loads. The second half starts
     * {@link #maxPatternLength()} bytes early from the start state, which is enough for its state
     * to be exact from the middle on, and reports only hits that end after the middle.
     */
    public int scan(byte[] data, int from, int to, int state, HitSink sink) {
        int length = to - from;
        if (length < 4 * maxPatternLength + 256) {
            return scanRange(data, from, to, state, sink);
        }
        final int[] t = table;
        final byte[] cls = classOf;
        int mid = from + length / 2;
        int secondStart = mid - maxPatternLength;
        int steps = mid - from;
        int first = state;
        int second = 0;
        for (int k = 0; k < steps; k++) {
            int nextFirst = t[first + cls[data[from + k] & 0xff]];
            int nextSecond = t[second + cls[data[secondStart + k] & 0xff]];
            if ((nextFirst | nextSecond) >= 0) {
                first = nextFirst;
                second = nextSecond;
                continue;
            }
            if (nextFirst < 0) {
                first = ~nextFirst;
                report(first, from + k + 1, sink);
            } else {
                first = nextFirst;
            }
            if (nextSecond < 0) {
                second = ~nextSecond;
                if (secondStart + k + 1 > mid) {
                    report(second, secondStart + k + 1, sink);
                }
            } else {
                second = nextSecond;
            }
        }
        return scanRange(data, secondStart + steps, to, second, sink);
    }

    private int scanRange(byte[] data, int from, int to, int state, HitSink sink) {
        final int[] t = table;
        final byte[] cls = classOf;
        int s = state;
        for (int i = from; i < to; i++) {
            int next = t[s + cls[data[i] & 0xff]];
            if (next < 0) {
                s = ~next;
                report(s, i + 1, sink);
            } else {
                s = next;
            }
        }
        return s;
    }

    private void report(int stateOffset, int end, HitSink sink) {
        for (int id : outputs[stateOffset / classCount]) {
            sink.hit(id, end);
        }
    }
}
