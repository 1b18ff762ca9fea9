package dev.claudebottle.launcher.session;

import dev.claudebottle.credproxy.roles.AgentFile;
import dev.claudebottle.credproxy.roles.AgentRoles;
import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.docker.Archives;
import dev.claudebottle.launcher.docker.ContainerExec;
import dev.claudebottle.launcher.docker.DockerEngine;
import dev.claudebottle.launcher.docker.ExecResult;
import dev.claudebottle.launcher.manifest.GitRemote;
import dev.claudebottle.launcher.plan.BottlePlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Prepares a started agent container. Files go in first, in this order: the bottle's CA, the
 * system prompt, skills, git settings, the working tree, cred-proxy's role files and, when
 * resuming, the snapshot of {@code ~/.claude}. Then the scripts run: the trust store update,
 * the working tree's {@code origin}, and the supervise registration.
 *
 * <p>Files go in through the engine's archive API. The few commands run as scripts on standard
 * input ({@code sh -s}), so nothing of them shows on a command line. A failing step stops
 * provisioning with the step's name and its last output lines.
 */
final class Provisioner {

    static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    private static final int ROOT = 0;
    /** Claude Code's permission rule that allows every tool of the MCP server named supervise. */
    static final String SUPERVISE_PERMISSION = "mcp__supervise";

    private final DockerEngine engine;
    private final String container;
    private final Consumer<String> log;

    Provisioner(DockerEngine engine, String container, Consumer<String> log) {
        this.engine = engine;
        this.container = container;
        this.log = log;
    }

    /**
     * Runs every step for {@code plan}. The files of all steps travel in one archive, in step
     * order, because each upload costs a round trip through the engine. The scripts run after it,
     * the CA's first.
     */
    void provision(BottlePlan plan, AgentEnvironment environment, byte[] caPem, Optional<Path> workingTree,
            Optional<Path> claudeSnapshot) {
        upload("files", ROOT, ROOT, tar -> {
            caFiles(tar, caPem);
            tar.owner(AgentUser.UID, AgentUser.GID);
            systemPrompt(tar, plan);
            skills(tar, plan);
            gitConfig(tar, plan, environment);
            if (workingTree.isPresent()) {
                tar.tree(workingTree.get(), relative(AgentUser.WORKSPACE));
            } else {
                // An image's WORKDIR is created owned by root; this entry hands it to the agent.
                tar.folder(relative(AgentUser.WORKSPACE), 0755);
            }
            roleFiles(tar, environment);
            if (claudeSnapshot.isPresent()) {
                tar.tree(claudeSnapshot.get(), relative(AgentUser.CLAUDE_HOME));
            }
        });
        installCa(caPem);
        if (workingTree.isPresent()) {
            pointOriginAtGate(plan);
        }
        if (plan.bottle().supervise()) {
            registerSupervise();
        }
    }

    private static void caFiles(Archives.Tar tar, byte[] caPem) throws IOException {
        tar.folder("etc/claude-bottle", 0755);
        tar.file("etc/claude-bottle/ca.pem", caPem, 0644);
        tar.folder("usr/local/share/ca-certificates", 0755);
        tar.file("usr/local/share/ca-certificates/claude-bottle.crt", caPem, 0644);
    }

    private void installCa(byte[] caPem) {
        runScript("CA", "root", """
                set -e
                if command -v update-ca-certificates >/dev/null 2>&1; then
                  update-ca-certificates >/dev/null
                else
                  mkdir -p /etc/ssl/certs
                  cat /etc/claude-bottle/ca.pem >> /etc/ssl/certs/ca-certificates.crt
                fi
                if command -v keytool >/dev/null 2>&1; then
                  keytool -list -cacerts -storepass changeit -alias claude-bottle >/dev/null 2>&1 \\
                    || keytool -importcert -noprompt -cacerts -storepass changeit -alias claude-bottle \\
                         -file /etc/claude-bottle/ca.pem >/dev/null
                fi
                """);
        log.accept("bottle CA installed, SHA-256 fingerprint " + CaCertificate.fingerprint(caPem));
    }

    private static void systemPrompt(Archives.Tar tar, BottlePlan plan) throws IOException {
        tar.folder(relative(AgentUser.HOME) + "/.claude-bottle", 0755);
        tar.file(relative(AgentUser.SYSTEM_PROMPT), plan.agent().systemPrompt().getBytes(StandardCharsets.UTF_8), 0644);
    }

    private static void skills(Archives.Tar tar, BottlePlan plan) throws IOException {
        tar.folder(relative(AgentUser.CLAUDE_HOME), 0700);
        if (plan.skills().isEmpty()) {
            return;
        }
        tar.folder(relative(AgentUser.CLAUDE_HOME) + "/skills", 0755);
        for (BottlePlan.Skill skill : plan.skills()) {
            tar.tree(skill.folder(), relative(AgentUser.CLAUDE_HOME) + "/skills/" + skill.name());
        }
    }

    private static void gitConfig(Archives.Tar tar, BottlePlan plan, AgentEnvironment environment) throws IOException {
        tar.file(relative(AgentUser.HOME) + "/.gitconfig",
                gitConfig(plan, environment).getBytes(StandardCharsets.UTF_8), 0644);
    }

    /**
     * Renders {@code ~/.gitconfig}: an {@code insteadOf} rule from each upstream to the gate,
     * cred-proxy's {@code git-insteadof} rules, and a commit identity naming the agent.
     */
    static String gitConfig(BottlePlan plan, AgentEnvironment environment) {
        StringBuilder text = new StringBuilder();
        text.append("[user]\n\tname = ").append(plan.agent().name()).append(" (claude-bottle)\n")
                .append("\temail = ").append(plan.agent().name()).append("@claude-bottle.invalid\n");
        for (GitRemote remote : plan.bottle().git()) {
            text.append("[url \"").append(gateUrl(remote)).append("\"]\n")
                    .append("\tinsteadOf = ").append(remote.upstream()).append('\n');
        }
        environment.setup().file(AgentRoles.GITCONFIG).ifPresent(file -> text.append(file.content()));
        return text.toString();
    }

    static String gateUrl(GitRemote remote) {
        return "git://git-gate/" + remote.name() + ".git";
    }

    private void pointOriginAtGate(BottlePlan plan) {
        StringBuilder script = new StringBuilder("set -e\ncd " + AgentUser.WORKSPACE + "\n"
                + "[ -d .git ] || exit 0\norigin=$(git config --get remote.origin.url || true)\n");
        for (GitRemote remote : plan.bottle().git()) {
            script.append("if [ \"$origin\" = ").append(shellQuote(remote.upstream())).append(" ]; then git remote set-url origin ")
                    .append(shellQuote(gateUrl(remote))).append("; fi\n");
        }
        runScript("working tree", AgentUser.NAME, script.toString());
    }

    private static void roleFiles(Archives.Tar tar, AgentEnvironment environment) throws IOException {
        List<AgentFile> files = environment.setup().files().stream()
                .filter(file -> !file.homeRelativePath().equals(AgentRoles.GITCONFIG))
                .toList();
        Set<String> folders = new LinkedHashSet<>();
        for (AgentFile file : files) {
            List<String> chain = new ArrayList<>();
            for (Path folder = Path.of(file.homeRelativePath()).getParent(); folder != null; folder = folder.getParent()) {
                chain.add(0, folder.toString());
            }
            folders.addAll(chain);
        }
        for (String folder : folders) {
            tar.folder(relative(AgentUser.HOME) + "/" + folder, 0755);
        }
        for (AgentFile file : files) {
            tar.file(relative(AgentUser.HOME) + "/" + file.homeRelativePath(),
                    file.content().getBytes(StandardCharsets.UTF_8), 0644);
        }
    }

    /**
     * Registers supervise with Claude Code and allows its tools in the agent's user settings, so
     * that a request to the operator does not wait on a permission prompt inside the bottle (in
     * {@code claude -p} such a prompt rejects the call). The tools only queue requests, and the
     * operator decides each one. An existing settings file (a resumed bottle's) is merged.
     */
    private void registerSupervise() {
        runScript("supervise registration", AgentUser.NAME, "set -e\nclaude mcp add --scope user --transport http "
                + "supervise http://supervise:" + BundleConfigRenderer.SUPERVISE_PORT + "/ >/dev/null\n"
                + """
                settings="$HOME/.claude/settings.json"
                if [ ! -e "$settings" ]; then
                  mkdir -p "$HOME/.claude"
                  printf '%s\\n' '{"permissions":{"allow":["SUPERVISE_RULE"]}}' > "$settings"
                elif command -v node >/dev/null 2>&1; then
                  node -e '
                    const fs = require("fs");
                    const file = process.argv[1];
                    const settings = JSON.parse(fs.readFileSync(file, "utf8"));
                    settings.permissions = settings.permissions || {};
                    const allow = settings.permissions.allow = settings.permissions.allow || [];
                    if (!allow.includes("SUPERVISE_RULE")) allow.push("SUPERVISE_RULE");
                    fs.writeFileSync(file, JSON.stringify(settings, null, 2) + "\\n");
                  ' "$settings"
                else
                  echo "supervise registration: node is missing, so $settings was not changed; add SUPERVISE_RULE to its permissions.allow" >&2
                fi
                """.replace("SUPERVISE_RULE", SUPERVISE_PERMISSION));
    }

    private void upload(String step, int uid, int gid, Archives.Content content) {
        try {
            new Archives(engine.client()).upload(container, uid, gid, content);
        } catch (RuntimeException e) {
            throw failed(step, DockerEngine.describe(e));
        }
    }

    private void runScript(String step, String user, String script) {
        ExecResult result;
        try {
            result = new ContainerExec(engine.client()).run(container, user, List.of("sh", "-s"),
                    script.getBytes(StandardCharsets.UTF_8), STEP_TIMEOUT);
        } catch (TimeoutException e) {
            throw failed(step, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(step, "interrupted");
        } catch (RuntimeException e) {
            throw failed(step, DockerEngine.describe(e));
        }
        if (!result.succeeded()) {
            throw failed(step, "its script exited with " + result.exitCode() + ": " + result.tail(5));
        }
    }

    private static LauncherException failed(String step, String why) {
        return new LauncherException("provisioning step '" + step + "' failed", why,
                "check the agent image (it needs sh and the agent user); run with --debug for details");
    }

    /** Strips the leading slash: archive entries are relative to the upload's root folder. */
    private static String relative(String absolute) {
        return absolute.substring(1);
    }

    static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

}
