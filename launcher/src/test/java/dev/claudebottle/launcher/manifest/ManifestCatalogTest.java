package dev.claudebottle.launcher.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.claudebottle.credproxy.route.RouteRole;
import dev.claudebottle.launcher.LauncherException;
import dev.claudebottle.launcher.TestHome;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCatalogTest {

    @TempDir
    Path temporaryFolder;

    TestHome home;

    @BeforeEach
    void createHome() {
        home = new TestHome(temporaryFolder);
    }

    /** Writes agent "dev" using bottle "box" with {@code bottleYaml}, and resolves it. */
    private ResolvedAgent resolveWithBottle(String bottleYaml) {
        home.bottle("box", bottleYaml);
        home.agent("dev", "bottle: box\n");
        return home.catalog().resolve("dev");
    }

    /** Like {@link #resolveWithBottle} but expects failure and returns the problems. */
    private List<ManifestProblem> problemsOfBottle(String bottleYaml) {
        home.bottle("box", bottleYaml);
        home.agent("dev", "bottle: box\n");
        try {
            home.catalog().resolve("dev");
        } catch (ManifestException e) {
            return e.problems();
        }
        throw new AssertionError("expected the bottle to be rejected: " + bottleYaml);
    }

    private static List<String> reasons(List<ManifestProblem> problems) {
        return problems.stream().map(ManifestProblem::reason).toList();
    }

    @Nested
    class Env {

        @Test
        void literalAndNumber() {
            Bottle bottle = resolveWithBottle("env:\n  NAME: someone\n  PORT: 8080\n").bottle();

            assertThat(bottle.env()).containsEntry("NAME", new EnvValue.Literal("someone"))
                    .containsEntry("PORT", new EnvValue.Literal("8080"));
        }

        @Test
        void hostVariableThatIsSet() {
            home.env.put("MY_EMAIL", "someone@example.test");

            Bottle bottle = resolveWithBottle("env:\n  GIT_AUTHOR_EMAIL: \"${MY_EMAIL}\"\n").bottle();

            assertThat(bottle.env()).containsEntry("GIT_AUTHOR_EMAIL", new EnvValue.HostVariable("MY_EMAIL"));
        }

        @Test
        void missingHostVariableIsNamed() {
            List<ManifestProblem> problems = problemsOfBottle("env:\n  TOKEN: \"${NOT_SET_ANYWHERE}\"\n");

            assertThat(problems).singleElement().satisfies(problem -> {
                assertThat(problem.reason()).contains("NOT_SET_ANYWHERE").contains("not set");
                assertThat(problem.fix()).contains("export NOT_SET_ANYWHERE");
                assertThat(problem.line()).isEqualTo(3);
            });
        }

        @Test
        void promptForms() {
            Bottle bottle = resolveWithBottle("env:\n  A: \"?\"\n  B: \"?Your API key\"\n").bottle();

            assertThat(bottle.env()).containsEntry("A", new EnvValue.Prompt(""))
                    .containsEntry("B", new EnvValue.Prompt("Your API key"));
        }

        @Test
        void literalWithLineBreak() {
            assertThat(reasons(problemsOfBottle("env:\n  A: \"one\\ntwo\"\n")))
                    .singleElement().asString().contains("line break");
        }

        @Test
        void textAroundHostVariable() {
            assertThat(reasons(problemsOfBottle("env:\n  A: \"x-${HOME}\"\n")))
                    .singleElement().asString().contains("mixes text with ${...}");
        }

        @Test
        void booleanValue() {
            assertThat(reasons(problemsOfBottle("env:\n  A: true\n")))
                    .singleElement().asString().contains("must be text or a number");
        }

        @Test
        void invalidName() {
            assertThat(reasons(problemsOfBottle("env:\n  9LIVES: x\n")))
                    .singleElement().asString().contains("not a valid variable name");
        }

        @Test
        void launcherVariablesAreReserved() {
            List<ManifestProblem> problems = problemsOfBottle("env:\n  HTTPS_PROXY: http://elsewhere:3128\n"
                    + "  SSL_CERT_FILE: /tmp/ca.pem\n");

            assertThat(reasons(problems)).hasSize(2)
                    .allSatisfy(reason -> assertThat(reason).contains("is set by the launcher"));
        }

        @Test
        void envThatIsAList() {
            assertThat(reasons(problemsOfBottle("env:\n  - A\n"))).singleElement().asString()
                    .contains("'env' must be a map, found a list");
        }
    }

    @Nested
    class Git {

        private String remote(String name, String keyPath) {
            return "  - Name: " + name + "\n    Upstream: ssh://git@git.example.test:30009/me/" + name + ".git\n"
                    + "    IdentityFile: " + keyPath + "\n    KnownHostKey: " + TestHome.HOST_KEY + "\n";
        }

        @Test
        void completeEntry() {
            Path key = home.keyFile("id_test");

            Bottle bottle = resolveWithBottle("git:\n" + remote("repo", key.toString())
                    + "    ExtraHosts:\n      git.example.test: 192.0.2.10\n").bottle();

            assertThat(bottle.git()).singleElement().satisfies(remote -> {
                assertThat(remote.name()).isEqualTo("repo");
                assertThat(remote.identityFile()).isEqualTo(key);
                assertThat(remote.knownHostKey()).isEqualTo(TestHome.HOST_KEY);
                assertThat(remote.extraHosts()).containsEntry("git.example.test", "192.0.2.10");
            });
        }

        @Test
        void identityFileWithTilde() {
            Path key = home.keyFile("id_tilde");

            Bottle bottle = resolveWithBottle("git:\n" + remote("repo", "~/.ssh/id_tilde")).bottle();

            assertThat(bottle.git().get(0).identityFile()).isEqualTo(key);
        }

        @Test
        void scpLikeUpstream() {
            home.keyFile("id_test");

            Bottle bottle = resolveWithBottle("git:\n  - Name: repo\n    Upstream: git@github.com:me/repo.git\n"
                    + "    IdentityFile: ~/.ssh/id_test\n    KnownHostKey: " + TestHome.HOST_KEY + "\n").bottle();

            assertThat(bottle.git().get(0).upstream()).isEqualTo("git@github.com:me/repo.git");
        }

        @Test
        void missingIdentityFile() {
            List<ManifestProblem> problems = problemsOfBottle("git:\n" + remote("repo", "/nowhere/id_none"));

            assertThat(reasons(problems)).singleElement().asString().contains("/nowhere/id_none").contains("does not exist");
        }

        @Test
        void publicKeyAsIdentityFile() {
            home.keyFile("id_test.pub");

            assertThat(reasons(problemsOfBottle("git:\n" + remote("repo", "~/.ssh/id_test.pub"))))
                    .singleElement().asString().contains("public key");
        }

        @Test
        void missingKeysAreEachReported() {
            List<ManifestProblem> problems = problemsOfBottle("git:\n  - Name: repo\n");

            assertThat(reasons(problems)).hasSize(3).allSatisfy(reason -> assertThat(reason).contains("missing key"));
        }

        @Test
        void httpsUpstream() {
            home.keyFile("id_test");

            List<ManifestProblem> problems = problemsOfBottle("git:\n  - Name: repo\n    Upstream: https://github.com/me/r\n"
                    + "    IdentityFile: ~/.ssh/id_test\n    KnownHostKey: " + TestHome.HOST_KEY + "\n");

            assertThat(problems).singleElement().satisfies(problem -> {
                assertThat(problem.reason()).contains("not an SSH URL");
                assertThat(problem.fix()).contains("git-insteadof");
            });
        }

        @Test
        void hostKeyWithHostName() {
            home.keyFile("id_test");

            List<ManifestProblem> problems = problemsOfBottle("git:\n  - Name: repo\n    Upstream: git@h:r.git\n"
                    + "    IdentityFile: ~/.ssh/id_test\n    KnownHostKey: github.com " + TestHome.HOST_KEY + "\n");

            assertThat(reasons(problems)).singleElement().asString().contains("starts with a host name");
        }

        @Test
        void hostKeyTypeMismatch() {
            home.keyFile("id_test");
            String key = TestHome.HOST_KEY.replace("ssh-ed25519 ", "ssh-rsa ");

            List<ManifestProblem> problems = problemsOfBottle("git:\n  - Name: repo\n    Upstream: git@h:r.git\n"
                    + "    IdentityFile: ~/.ssh/id_test\n    KnownHostKey: " + key + "\n");

            assertThat(reasons(problems)).singleElement().asString().contains("says ssh-rsa but its key is of type ssh-ed25519");
        }

        @Test
        void hostKeyNotBase64() {
            home.keyFile("id_test");

            List<ManifestProblem> problems = problemsOfBottle("git:\n  - Name: repo\n    Upstream: git@h:r.git\n"
                    + "    IdentityFile: ~/.ssh/id_test\n    KnownHostKey: ssh-ed25519 not!base64\n");

            assertThat(reasons(problems)).singleElement().asString().contains("not valid base64");
        }

        @Test
        void duplicateNames() {
            Path key = home.keyFile("id_test");

            List<ManifestProblem> problems = problemsOfBottle("git:\n" + remote("repo", key.toString())
                    + remote("repo", key.toString()));

            assertThat(reasons(problems)).singleElement().asString().contains("git Name 'repo' is already used at line 3");
        }

        @Test
        void extraHostsAddressMustBeIp() {
            Path key = home.keyFile("id_test");

            List<ManifestProblem> problems = problemsOfBottle("git:\n" + remote("repo", key.toString())
                    + "    ExtraHosts:\n      git.example.test: git.other.test\n");

            assertThat(reasons(problems)).singleElement().asString().contains("not an IP address");
        }

        @Test
        void extraHostsAcceptsIpv6() {
            Path key = home.keyFile("id_test");

            Bottle bottle = resolveWithBottle("git:\n" + remote("repo", key.toString())
                    + "    ExtraHosts:\n      git.example.test: \"2001:db8::10\"\n").bottle();

            assertThat(bottle.git().get(0).extraHosts()).containsEntry("git.example.test", "2001:db8::10");
        }

        @Test
        void extraHostsNameMapsToTwoAddresses() {
            Path key = home.keyFile("id_test");

            List<ManifestProblem> problems = problemsOfBottle("git:\n"
                    + remote("one", key.toString()) + "    ExtraHosts:\n      git.example.test: 192.0.2.10\n"
                    + remote("two", key.toString()) + "    ExtraHosts:\n      git.example.test: 192.0.2.11\n");

            assertThat(problems).singleElement().satisfies(problem -> {
                assertThat(problem.reason()).contains("maps git.example.test to 192.0.2.11")
                        .contains("maps it to 192.0.2.10");
                assertThat(problem.fix()).contains("one address");
            });
        }

        @Test
        void unknownKeySuggestsTheRightOne() {
            Path key = home.keyFile("id_test");

            List<ManifestProblem> problems = problemsOfBottle("git:\n" + remote("repo", key.toString())
                    + "    Identityfile: x\n");

            assertThat(problems).singleElement().satisfies(problem -> {
                assertThat(problem.reason()).contains("unknown key 'Identityfile' in git entry 1")
                        .contains("did you mean 'IdentityFile'?");
                assertThat(problem.fix()).contains("Name, Upstream, IdentityFile, KnownHostKey, ExtraHosts");
            });
        }
    }

    @Nested
    class Routes {

        private static final String ROUTE = "cred_proxy:\n  routes:\n    - path: /gh-api/\n"
                + "      upstream: https://api.github.com\n      auth_scheme: Bearer\n      token_ref: GH_PAT\n";

        @Test
        void validRoute() {
            home.env.put("GH_PAT", "ghp_made-up-for-tests");

            Bottle bottle = resolveWithBottle(ROUTE).bottle();

            assertThat(bottle.routes()).singleElement().satisfies(route -> {
                assertThat(route.path()).isEqualTo("/gh-api/");
                assertThat(route.tokenRef()).isEqualTo("GH_PAT");
                assertThat(route.upstreamHost()).isEqualTo("api.github.com");
            });
        }

        @Test
        void tokenRefNotSetIsNamedWithoutValue() {
            List<ManifestProblem> problems = problemsOfBottle(ROUTE);

            assertThat(problems).singleElement().satisfies(problem -> {
                assertThat(problem.reason()).contains("GH_PAT").contains("not set");
                assertThat(problem.line()).isEqualTo(4);
            });
        }

        @Test
        void emptyTokenRefIsRejected() {
            home.env.put("GH_PAT", "");

            List<ManifestProblem> problems = problemsOfBottle(ROUTE);

            assertThat(reasons(problems)).singleElement().asString().contains("GH_PAT, which is empty");
        }

        @Test
        void invalidRouteIsPlacedOnItsEntry() {
            home.env.put("GH_PAT", "x");

            List<ManifestProblem> problems = problemsOfBottle(ROUTE + "    - path: /plain/\n"
                    + "      upstream: http://example.test\n      token_ref: GH_PAT\n");

            assertThat(problems).singleElement().satisfies(problem -> {
                assertThat(problem.reason()).contains("cred_proxy.routes[1]").contains("must use https");
                assertThat(problem.line()).isEqualTo(8);
            });
        }

        @Test
        void singleRouteRoleOnTwoRoutes() {
            home.env.put("T", "x");
            String routes = "cred_proxy:\n  routes:\n"
                    + "    - path: /a/\n      upstream: https://a.example\n      token_ref: T\n      role: npm-registry\n"
                    + "    - path: /b/\n      upstream: https://b.example\n      token_ref: T\n      role: npm-registry\n";

            List<ManifestProblem> problems = problemsOfBottle(routes);

            assertThat(reasons(problems)).singleElement().asString().contains("role npm-registry is already on");
        }

        @Test
        void singleRouteRoleAcrossExtends() {
            home.env.put("T", "x");
            home.bottle("base", "cred_proxy:\n  routes:\n    - path: /a/\n      upstream: https://a.example\n"
                    + "      token_ref: T\n      role: anthropic-base-url\n");

            List<ManifestProblem> problems = problemsOfBottle("extends: base\ncred_proxy:\n  routes:\n"
                    + "    - path: /b/\n      upstream: https://b.example\n      token_ref: T\n"
                    + "      role: anthropic-base-url\n");

            assertThat(reasons(problems)).singleElement().asString().contains("after merging")
                    .contains("anthropic-base-url");
        }

        @Test
        void unknownCredProxyKey() {
            assertThat(reasons(problemsOfBottle("cred_proxy:\n  route:\n    - path: /x/\n")))
                    .singleElement().asString().contains("did you mean 'routes'?");
        }
    }

    @Nested
    class Egress {

        @Test
        void allowlistIsNormalised() {
            Bottle bottle = resolveWithBottle("egress:\n  allowlist:\n    - GitHub.com.\n    - \"*.npmjs.org\"\n"
                    + "    - git.example.test:8443\n    - github.com\n").bottle();

            assertThat(bottle.allowlist()).containsExactly("github.com", "*.npmjs.org", "git.example.test:8443");
        }

        @Test
        void urlInAllowlist() {
            assertThat(reasons(problemsOfBottle("egress:\n  allowlist:\n    - https://github.com\n")))
                    .singleElement().asString().contains("is a URL");
        }

        @Test
        void bareWildcard() {
            assertThat(reasons(problemsOfBottle("egress:\n  allowlist:\n    - \"*\"\n")))
                    .singleElement().asString().contains("wildcard");
        }

        @Test
        void badPort() {
            assertThat(reasons(problemsOfBottle("egress:\n  allowlist:\n    - host.example:70000\n")))
                    .singleElement().asString().contains("port");
        }

        @Test
        void dlpActionWarnAndDefault() {
            assertThat(resolveWithBottle("egress:\n  dlp_action: warn\n").bottle().dlpAction()).isEqualTo(DlpAction.WARN);
            assertThat(resolveWithBottle("supervise: true\n").bottle().dlpAction()).isEqualTo(DlpAction.BLOCK);
        }

        @Test
        void allowPrivateNamesAllowlistedHosts() throws Exception {
            Path ca = temporaryFolder.resolve("test-ca.pem");
            java.nio.file.Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n");

            Bottle bottle = resolveWithBottle("egress:\n  allowlist:\n    - api.standin.test\n    - git.standin.test:2222\n"
                    + "  allow_private:\n    - API.standin.test\n    - git.standin.test\n  upstream_ca:\n    - " + ca + "\n")
                    .bottle();

            assertThat(bottle.privateHosts()).containsExactly("api.standin.test", "git.standin.test");
            assertThat(bottle.upstreamCa()).containsExactly(ca);
        }

        @Test
        void allowPrivateOutsideAllowlist() {
            assertThat(reasons(problemsOfBottle("egress:\n  allowlist:\n    - a.example\n  allow_private:\n"
                    + "    - b.example\n"))).singleElement().asString().contains("not in this file's egress.allowlist");
        }

        @Test
        void upstreamCaMissingOrRelative() {
            assertThat(reasons(problemsOfBottle("egress:\n  upstream_ca:\n    - certs/ca.pem\n    - /nonexistent/ca.pem\n")))
                    .satisfiesExactly(
                            first -> assertThat(first).asString().contains("relative path"),
                            second -> assertThat(second).asString().contains("does not exist"));
        }

        @Test
        void dlpActionInvalid() {
            assertThat(reasons(problemsOfBottle("egress:\n  dlp_action: drop\n")))
                    .singleElement().asString().contains("is not block or warn");
        }
    }

    @Nested
    class SuperviseAndKeys {

        @Test
        void superviseOnAndDefaultOff() {
            assertThat(resolveWithBottle("supervise: true\n").bottle().supervise()).isTrue();
            assertThat(resolveWithBottle("").bottle().supervise()).isFalse();
        }

        @Test
        void superviseAsText() {
            assertThat(problemsOfBottle("supervise: \"true\"\n")).singleElement().satisfies(problem ->
                    assertThat(problem.reason()).contains("'supervise' must be true or false"));
        }

        @Test
        void unknownTopLevelKeyListsValidKeys() {
            List<ManifestProblem> problems = problemsOfBottle("egres:\n  allowlist: []\n");

            assertThat(problems).singleElement().satisfies(problem -> {
                assertThat(problem.reason()).isEqualTo("unknown key 'egres' (did you mean 'egress'?)");
                assertThat(problem.fix()).isEqualTo("valid keys are env, git, cred_proxy, egress, supervise, extends");
                assertThat(problem.line()).isEqualTo(2);
                assertThat(problem.column()).isEqualTo(1);
            });
        }

        @Test
        void everyProblemOfAFileIsReported() {
            List<ManifestProblem> problems = problemsOfBottle("egres: x\nsupervise: yes\nenv:\n  A: \"${NOPE}\"\n"
                    + "egress:\n  dlp_action: drop\n");

            assertThat(problems).hasSize(4);
        }
    }

    @Nested
    class Extends {

        @Test
        void mergesLeftToRight() {
            home.bottle("base", "env:\n  A: base\n  B: base\negress:\n  allowlist:\n    - a.example\nsupervise: true\n");
            home.bottle("work", "env:\n  B: work\negress:\n  allowlist:\n    - b.example\n  dlp_action: warn\n");

            Bottle bottle = resolveWithBottle("extends: [base, work]\nenv:\n  C: self\nsupervise: false\n").bottle();

            assertThat(bottle.chain()).containsExactly("base", "work", "box");
            assertThat(bottle.env()).containsEntry("A", new EnvValue.Literal("base"))
                    .containsEntry("B", new EnvValue.Literal("work"))
                    .containsEntry("C", new EnvValue.Literal("self"));
            assertThat(bottle.allowlist()).containsExactly("a.example", "b.example");
            assertThat(bottle.dlpAction()).isEqualTo(DlpAction.WARN);
            assertThat(bottle.supervise()).isFalse();
        }

        @Test
        void singleParentAndDiamond() {
            home.bottle("root", "env:\n  R: root\n");
            home.bottle("left", "extends: root\n");
            home.bottle("right", "extends: root\n");

            Bottle bottle = resolveWithBottle("extends:\n  - left\n  - right\n").bottle();

            assertThat(bottle.chain()).containsExactly("root", "left", "right", "box");
            assertThat(bottle.env()).containsKey("R");
        }

        @Test
        void cycleIsReported() {
            home.bottle("other", "extends: box\n");

            List<ManifestProblem> problems = problemsOfBottle("extends: other\n");

            assertThat(reasons(problems)).singleElement().asString()
                    .contains("extends itself through box -> other -> box");
        }

        @Test
        void selfReference() {
            assertThat(reasons(problemsOfBottle("extends: box\n"))).singleElement().asString()
                    .contains("box -> box");
        }

        @Test
        void missingParentWithHint() {
            home.bottle("base", "");

            List<ManifestProblem> problems = problemsOfBottle("extends: bsae\n");

            assertThat(reasons(problems)).singleElement().asString().contains("extends bottle bsae, which does not exist")
                    .contains("did you mean 'base'?");
        }

        @Test
        void parentProblemsAreIncluded() {
            home.bottle("base", "supervise: on\n");

            List<ManifestProblem> problems = problemsOfBottle("extends: base\n");

            assertThat(problems).singleElement().satisfies(problem ->
                    assertThat(problem.file().getFileName().toString()).isEqualTo("base.md"));
        }
    }

    @Nested
    class Agents {

        @Test
        void agentWithSkillsAndIgnoredKeys() {
            home.bottle("box", "");
            home.agent("dev", "name: dev\ndescription: \"Writes code\"\nmodel: sonnet\ncolor: blue\nmemory: user\n"
                    + "bottle: box\nskills:\n  - init-prd\n  - review\n");

            Agent agent = home.catalog().resolve("dev").agent();

            assertThat(agent.bottle()).isEqualTo("box");
            assertThat(agent.skills()).containsExactly("init-prd", "review");
            assertThat(agent.systemPrompt()).isEqualTo("You are dev.");
            assertThat(agent.fromRepository()).isFalse();
        }

        @Test
        void bottleIsRequired() {
            home.agent("dev", "skills: []\n");

            assertThatThrownBy(() -> home.catalog().resolve("dev"))
                    .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(reasons(e.problems()))
                            .singleElement().asString().contains("missing key 'bottle'"));
        }

        @Test
        void missingBottleWithHint() {
            home.bottle("gitea-dev", "");
            home.agent("dev", "bottle: gitea-deb\n");

            assertThatThrownBy(() -> home.catalog().resolve("dev"))
                    .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(reasons(e.problems()))
                            .singleElement().asString().contains("bottle gitea-deb does not exist")
                            .contains("did you mean 'gitea-dev'?"));
        }

        @Test
        void unknownKey() {
            home.bottle("box", "");
            home.agent("dev", "bottle: box\ntools: Read\n");

            assertThatThrownBy(() -> home.catalog().resolve("dev"))
                    .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.problems())
                            .singleElement().satisfies(problem -> assertThat(problem.fix())
                                    .contains("bottle, skills, name, description, model, color, memory")));
        }

        @Test
        void skillWithPath() {
            home.bottle("box", "");
            home.agent("dev", "bottle: box\nskills:\n  - ../escape\n");

            assertThatThrownBy(() -> home.catalog().resolve("dev"))
                    .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(reasons(e.problems()))
                            .singleElement().asString().contains("is not a skill name"));
        }

        @Test
        void unknownAgentSuggestsName() {
            home.bottle("box", "");
            home.agent("reviewer", "bottle: box\n");

            assertThatThrownBy(() -> home.catalog().resolve("reviwer"))
                    .isInstanceOf(LauncherException.class)
                    .isNotInstanceOf(ManifestException.class)
                    .hasMessageContaining("agent reviwer not found")
                    .hasMessageContaining("did you mean 'reviewer'?");
        }

        @Test
        void missingFrontmatter() {
            home.bottle("box", "");
            TestHome.write(home.bottleHome.resolve("agents/dev.md"), "bottle: box\n");

            assertThatThrownBy(() -> home.catalog().resolve("dev"))
                    .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(reasons(e.problems()))
                            .singleElement().asString().contains("does not start with a --- line"));
        }

        @Test
        void oversizedFile() {
            home.bottle("box", "");
            TestHome.write(home.bottleHome.resolve("agents/dev.md"),
                    TestHome.manifest("bottle: box\n", "x".repeat(1024 * 1024)));

            assertThatThrownBy(() -> home.catalog().resolve("dev"))
                    .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(reasons(e.problems()))
                            .singleElement().asString().contains("larger than 1024 KiB"));
        }

        @Test
        void pathLikeAgentNameIsInvalid() {
            home.bottle("box", "");

            assertThatThrownBy(() -> home.catalog().resolve("../bottles/box"))
                    .isInstanceOf(LauncherException.class)
                    .hasMessageContaining("invalid agent name '../bottles/box'");
        }

        @Test
        void invalidUtf8() throws Exception {
            home.bottle("box", "");
            java.nio.file.Files.write(home.bottleHome.resolve("agents/dev.md"),
                    new byte[] {'-', '-', '-', '\n', 'b', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n', '-', '-', '-', '\n'});

            assertThatThrownBy(() -> home.catalog().resolve("dev"))
                    .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(reasons(e.problems()))
                            .singleElement().asString().contains("not valid UTF-8"));
        }
    }

    @Nested
    class Locations {

        @Test
        void repositoryAgentsAreLoaded() {
            home.bottle("box", "");
            Path repository = home.workingDirectory;
            TestHome.createDirectories(repository.resolve(".git"));
            TestHome.write(repository.resolve(".claude-bottle/agents/repo-agent.md"), TestHome.manifest("bottle: box\n", "Hi.\n"));

            ResolvedAgent resolved = home.catalog().resolve("repo-agent");

            assertThat(resolved.agent().fromRepository()).isTrue();
        }

        @Test
        void repositoryIsFoundFromASubfolder() {
            TestHome.createDirectories(home.workingDirectory.resolve(".git"));
            Path subfolder = home.workingDirectory.resolve("src/deep");
            TestHome.createDirectories(subfolder);

            ManifestLocations locations = ManifestLocations.discover(home.env, home.userHome, subfolder);

            assertThat(locations.repositoryRoot()).contains(home.workingDirectory);
        }

        @Test
        void repositoryBottlesAreIgnoredWithWarning() {
            TestHome.createDirectories(home.workingDirectory.resolve(".git"));
            TestHome.write(home.workingDirectory.resolve(".claude-bottle/bottles/sneaky.md"), TestHome.manifest("", ""));
            TestHome.write(home.workingDirectory.resolve(".claude-bottle/agents/dev.md"),
                    TestHome.manifest("bottle: sneaky\n", ""));

            ManifestCatalog catalog = home.catalog();

            assertThat(catalog.bottleNames()).doesNotContain("sneaky");
            assertThat(catalog.warnings()).singleElement().asString().contains("ignoring").contains("bottles come only from");
            assertThatThrownBy(() -> catalog.resolve("dev"))
                    .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(reasons(e.problems()))
                            .singleElement().asString().contains("is never read"));
        }

        @Test
        void invalidFileNamesAreSkippedWithWarning() {
            home.bottle("box", "");
            TestHome.write(home.bottleHome.resolve("agents/Bad_Name.md"), TestHome.manifest("bottle: box\n", ""));
            TestHome.write(home.bottleHome.resolve("agents/notes.txt"), "not a manifest");

            ManifestCatalog catalog = home.catalog();

            assertThat(catalog.agents()).isEmpty();
            assertThat(catalog.warnings()).singleElement().asString().contains("skipping").contains("Bad_Name.md");
        }

        @Test
        void claudeBottleHomeOverride() {
            Path other = home.root.resolve("elsewhere");
            home.env.put(ManifestLocations.HOME_VARIABLE, other.toString());
            TestHome.write(other.resolve("bottles/box.md"), TestHome.manifest("", ""));
            TestHome.write(other.resolve("agents/dev.md"), TestHome.manifest("bottle: box\n", ""));

            ResolvedAgent resolved = home.catalog().resolve("dev");

            assertThat(resolved.bottle().file()).isEqualTo(other.resolve("bottles/box.md"));
        }

        @Test
        void repositoryAgentReplacesHomeAgentWithWarning() {
            home.bottle("box", "");
            home.agent("dev", "bottle: box\n");
            TestHome.createDirectories(home.workingDirectory.resolve(".git"));
            TestHome.write(home.workingDirectory.resolve(".claude-bottle/agents/dev.md"),
                    TestHome.manifest("bottle: box\n", "Repo prompt.\n"));

            ManifestCatalog catalog = home.catalog();

            assertThat(catalog.resolve("dev").agent().systemPrompt()).isEqualTo("Repo prompt.");
            assertThat(catalog.warnings()).singleElement().asString().contains("replaces");
        }
    }

    @Test
    void roleEnumIsSharedWithCredProxy() {
        home.env.put("T", "x");

        Bottle bottle = resolveWithBottle("cred_proxy:\n  routes:\n    - path: /npm/\n      upstream: https://npm.example\n"
                + "      token_ref: T\n      role: npm-registry\n").bottle();

        assertThat(bottle.routes().get(0).has(RouteRole.NPM_REGISTRY)).isTrue();
    }
}
