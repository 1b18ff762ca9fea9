package dev.claudebottle.dlp.internal;

import dev.claudebottle.dlp.Rule;
import java.util.Locale;

/** The checks a regex match passes before it is reported: allowlist, stopwords and entropy floor. */
public final class SecretChecks {
    private SecretChecks() {
    }

    static boolean accepts(Rule rule, String secret, byte[] bytes, int from, int to) {
        if (rule.allowlist().contains(secret)) {
            return false;
        }
        if (!rule.stopwords().isEmpty()) {
            String lower = secret.toLowerCase(Locale.ROOT);
            for (String stopword : rule.stopwords()) {
                if (lower.contains(stopword)) {
                    return false;
                }
            }
        }
        return rule.entropy() <= 0 || shannonEntropy(bytes, from, to) >= rule.entropy();
    }

    /** Computes the Shannon entropy of {@code bytes[from, to)} in bits per byte. */
    public static double shannonEntropy(byte[] bytes, int from, int to) {
        int[] counts = new int[256];
        for (int i = from; i < to; i++) {
            counts[bytes[i] & 0xff]++;
        }
        double length = to - from;
        double entropy = 0;
        for (int count : counts) {
            if (count > 0) {
                double p = count / length;
                entropy -= p * (Math.log(p) / Math.log(2));
            }
        }
        return entropy;
    }
}
