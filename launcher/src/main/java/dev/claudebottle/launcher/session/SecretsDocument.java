package dev.claudebottle.launcher.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.manifest.GitRemote;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the secrets document that {@code bundle-init receive-secrets} reads on standard input:
 * {@code {"tokens": {"TOKEN_REF": "value"}, "ssh_keys": {"<git Name>": "-----BEGIN ..."}}}.
 *
 * <p>The bytes exist only in memory on the host and in the bundle's tmpfs. Callers send them
 * and drop the array; no method here logs or prints a value.
 */
public final class SecretsDocument {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The path of bundle-init in the bundle image. */
    private static final String BUNDLE_INIT = "/opt/claude-bottle/bundle-init.jar";

    private SecretsDocument() {
    }

    /**
     * Returns the command, run in the bundle container with the document on its standard input,
     * that stores the document; with {@code add}, the tokens join those the bundle holds already.
     */
    public static List<String> receiveCommand(boolean add) {
        List<String> command = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-jar", BUNDLE_INIT,
                "receive-secrets"));
        if (add) {
            command.add("--add");
        }
        return command;
    }

    /**
     * Collects each route's token from the host environment and each git entry's private key
     * from its {@code IdentityFile}.
     *
     * @throws LauncherException naming the missing variable or unreadable file, never a value
     */
    public static byte[] build(BottlePlan plan, Map<String, String> hostEnvironment) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode tokens = root.putObject("tokens");
        for (Route route : plan.bottle().routes()) {
            String value = hostEnvironment.get(route.tokenRef());
            if (value == null || value.isEmpty()) {
                throw new LauncherException("cannot hand the token " + route.tokenRef() + " to the bottle",
                        "the host environment variable " + route.tokenRef() + " is not set or empty",
                        "export " + route.tokenRef() + " before starting the agent");
            }
            tokens.put(route.tokenRef(), value);
        }
        ObjectNode keys = root.putObject("ssh_keys");
        for (GitRemote remote : plan.bottle().git()) {
            try {
                keys.put(remote.name(), Files.readString(remote.identityFile(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new LauncherException("cannot read the SSH key of git entry " + remote.name(),
                        "reading " + remote.identityFile() + " failed: " + e.getMessage(),
                        "check IdentityFile in the bottle manifest");
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new AssertionError("a tree of strings always serializes", e);
        }
    }
}
