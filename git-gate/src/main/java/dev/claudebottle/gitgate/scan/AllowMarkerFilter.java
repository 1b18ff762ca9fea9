package dev.claudebottle.gitgate.scan;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Stream that defuses gitleaks' inline allow comment before the scanner reads the text.
 *
 * <p>gitleaks drops any finding whose line contains {@code gitleaks:allow}, so a pusher could
 * exempt a secret by adding that comment. This filter rewrites every occurrence, in any letter
 * case, to {@code gitleaks;allow}. The replacement has the same length, so line numbers and
 * columns are unchanged. It holds back the last {@code MARKER.length - 1} bytes between writes so
 * a marker split across two writes is still caught.
 */
final class AllowMarkerFilter extends FilterOutputStream {

    private static final byte[] MARKER = "gitleaks:allow".getBytes(StandardCharsets.US_ASCII);
    private static final int COLON = "gitleaks".length();

    private final byte[] pending = new byte[64 * 1024];
    private int pendingLength;

    AllowMarkerFilter(OutputStream out) {
        super(out);
    }

    /** Returns {@code line} with every allow marker defused. */
    static String defuse(String line) {
        return line.replaceAll("(?i)(gitleaks):(allow)", "$1;$2");
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int chunk = Math.min(len, pending.length - pendingLength);
            System.arraycopy(b, off, pending, pendingLength, chunk);
            pendingLength += chunk;
            off += chunk;
            len -= chunk;
            defuseAndFlushPrefix(MARKER.length - 1);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        defuseAndFlushPrefix(0);
        super.close();
    }

    /** Defuses markers in the pending bytes, then writes all but the last {@code keep} bytes. */
    private void defuseAndFlushPrefix(int keep) throws IOException {
        for (int i = 0; i + MARKER.length <= pendingLength; i++) {
            if (matchesMarker(i)) {
                pending[i + COLON] = ';';
            }
        }
        int flushable = Math.max(0, pendingLength - keep);
        if (flushable == 0) {
            return;
        }
        out.write(pending, 0, flushable);
        System.arraycopy(pending, flushable, pending, 0, pendingLength - flushable);
        pendingLength -= flushable;
    }

    private boolean matchesMarker(int at) {
        for (int j = 0; j < MARKER.length; j++) {
            byte c = pending[at + j];
            if (c >= 'A' && c <= 'Z') {
                c = (byte) (c + ('a' - 'A'));
            }
            if (c != MARKER[j]) {
                return false;
            }
        }
        return true;
    }
}
