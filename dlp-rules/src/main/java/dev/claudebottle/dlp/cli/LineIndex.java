package dev.claudebottle.dlp.cli;

import java.util.Arrays;

/**
 * Line starts of the recent part of a stream, so a finding's offset can be turned into a line and
 * column without keeping the whole input. Lines are counted from 1; offsets are bytes.
 */
final class LineIndex {
    /** Offsets just after each newline still kept, ascending. */
    private long[] starts = new long[1024];
    private int count;
    /** Newlines dropped by {@link #forgetBefore}, all before every offset still asked about. */
    private long forgottenLines;
    private long forgottenLastStart;
    private long position;

    void add(byte[] bytes, int offset, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[offset + i] == '\n') {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = position + i + 1;
            }
        }
        position += length;
    }

    /** Drops line starts before {@code offset}; later queries must be at or after it. */
    void forgetBefore(long offset) {
        int drop = 0;
        while (drop < count - 1 && starts[drop + 1] <= offset) {
            drop++;
        }
        if (drop > 0) {
            forgottenLastStart = starts[drop - 1];
            forgottenLines += drop;
            System.arraycopy(starts, drop, starts, 0, count - drop);
            count -= drop;
        }
    }

    long lineOf(long offset) {
        return 1 + forgottenLines + newlinesAtOrBefore(offset);
    }

    long lineStart(long offset) {
        int k = newlinesAtOrBefore(offset);
        return k == 0 ? forgottenLastStart : starts[k - 1];
    }

    /** Number of kept line starts at or before {@code offset}. */
    private int newlinesAtOrBefore(long offset) {
        int index = Arrays.binarySearch(starts, 0, count, offset);
        return index >= 0 ? index + 1 : -index - 1;
    }
}
