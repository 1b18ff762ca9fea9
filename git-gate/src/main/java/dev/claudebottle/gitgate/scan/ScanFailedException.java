package dev.claudebottle.gitgate.scan;

/**
 * The secret scan did not complete with a usable result: gitleaks missing, crashed, timed out,
 * or wrote an unreadable report, or the scan input could not be built. The push is rejected.
 */
public class ScanFailedException extends Exception {

    public ScanFailedException(String message) {
        super(message);
    }

    public ScanFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
