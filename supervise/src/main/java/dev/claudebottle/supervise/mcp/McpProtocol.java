package dev.claudebottle.supervise.mcp;

import java.util.List;

/**
 * The MCP protocol revisions this server speaks, and what differs between them here.
 *
 * <p>Version negotiation (MCP lifecycle, "Version Negotiation"): the server responds with the client's
 * version when it supports it, and otherwise with the latest one it supports.
 */
public final class McpProtocol {

    public static final String V2024_11_05 = "2024-11-05";
    public static final String V2025_03_26 = "2025-03-26";
    public static final String V2025_06_18 = "2025-06-18";
    public static final String V2025_11_25 = "2025-11-25";

    /** Supported revisions, newest first. */
    public static final List<String> SUPPORTED = List.of(V2025_11_25, V2025_06_18, V2025_03_26, V2024_11_05);

    public static final String LATEST = SUPPORTED.get(0);

    private McpProtocol() {
    }

    public static boolean isSupported(String version) {
        return SUPPORTED.contains(version);
    }

    public static String negotiate(String requested) {
        return isSupported(requested) ? requested : LATEST;
    }

    /** JSON-RPC batches are allowed up to 2025-03-26; revision 2025-06-18 removed them. */
    public static boolean allowsBatches(String version) {
        return V2024_11_05.equals(version) || V2025_03_26.equals(version);
    }

    /**
     * From 2025-11-25 on, invalid tool arguments are reported as a tool result with
     * {@code isError: true} so that the model can correct itself; earlier revisions use JSON-RPC
     * error -32602.
     */
    public static boolean reportsInputErrorsAsToolResults(String version) {
        return V2025_11_25.equals(version);
    }
}
