package dev.claudebottle.launcher.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudebottle.credproxy.route.AuthScheme;
import dev.claudebottle.credproxy.route.Route;
import dev.claudebottle.launcher.manifest.Bottle;
import dev.claudebottle.launcher.manifest.DlpAction;
import dev.claudebottle.supervise.queue.Decision;
import dev.claudebottle.supervise.queue.QueuedRequest;
import dev.claudebottle.supervise.queue.RequestStatus;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardTest {

    @TempDir
    Path stateRoot;

    BottleFixture fixture;
    RecordingBottleControl control;
    Dashboard dashboard;
    BottleState dev;
    BottleState review;

    @BeforeEach
    void createBottles() {
        fixture = new BottleFixture(stateRoot);
        control = new RecordingBottleControl();
        dashboard = new Dashboard(BottleDirectory.of(stateRoot), control, Map.of("GH_PAT", "set"), Clock.systemUTC());
        dev = fixture.bottle("dev-abcde");
        review = fixture.bottle("review-k3x9a");
    }

    private Optional<Decision> decision(BottleState bottle, QueuedRequest request) {
        return BottleFixture.queue(bottle).decision(request.id());
    }

    private List<JsonNode> auditEntries(BottleState bottle) throws IOException {
        return Files.readAllLines(bottle.auditLog()).stream().map(line -> {
            try {
                return BottleFixture.JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Nested
    class Listing {

        @Test
        void runningBottlesOfOtherHomesAreLeftOut() {
            control.running.add(dev.identity());
            control.running.add("stranger-zz9zz");

            assertThat(dashboard.runningBottles()).extracting(BottleControl.RunningBottle::identity)
                    .containsExactly(dev.identity());
        }

        @Test
        void damagedRequestFileIsNamedAndHidesNothing() throws Exception {
            QueuedRequest valid = fixture.egress(dev, "https://one.example.com/a");
            java.nio.file.Files.writeString(dev.queueDirectory().resolve("20261204T195959Z-deadbeef.request.json"),
                    "{\"not\":\"valid");

            List<Dashboard.Pending> pending = dashboard.pending();

            assertThat(pending).extracting(Dashboard.Pending::id).containsExactly(valid.id());
            assertThat(dashboard.problems()).singleElement().asString()
                    .contains("bottle dev-abcde").contains("deadbeef.request.json");
        }

        @Test
        void listsBothBottlesOldestFirst() {
            QueuedRequest first = fixture.egress(dev, "https://one.example.com/a");
            QueuedRequest second = fixture.egress(review, "https://two.example.com/b");
            QueuedRequest third = fixture.egress(dev, "https://three.example.com/c");

            List<Dashboard.Pending> pending = dashboard.pending();

            assertThat(pending).extracting(Dashboard.Pending::id).containsExactly(first.id(), second.id(), third.id());
            assertThat(pending).extracting(p -> p.bottle().identity())
                    .containsExactly("dev-abcde", "review-k3x9a", "dev-abcde");
        }

        @Test
        void decidedRequestsDisappear() {
            QueuedRequest approved = fixture.egress(dev, "https://one.example.com/a");
            QueuedRequest rejected = fixture.egress(review, "https://two.example.com/b");
            QueuedRequest open = fixture.egress(review, "https://three.example.com/c");

            dashboard.approve(approved.id(), null);
            dashboard.reject(rejected.id(), "use the mirror");

            assertThat(dashboard.pending()).extracting(Dashboard.Pending::id).containsExactly(open.id());
        }

        @Test
        void folderWithoutIdentityShapeIsIgnored() throws IOException {
            Files.createDirectories(stateRoot.resolve("not-an-identity").resolve("bundle").resolve("queue"));
            fixture.egress(dev, "https://one.example.com/a");

            assertThat(dashboard.pending()).hasSize(1);
        }

        @Test
        void unknownIdIsNotFound() {
            assertThatThrownBy(() -> dashboard.approve("20261204T203501Z-3f9a2c1b", null))
                    .isInstanceOf(DashboardException.class)
                    .hasMessageContaining("not found").hasMessageContaining("dashboard --once");
        }
    }

    @Nested
    class Egress {

        @Test
        void approvalOfStoppedBottleGoesToOverlayOnly() throws IOException {
            QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");

            Dashboard.Outcome outcome = dashboard.approve(request.id(), "ok for docs");

            assertThat(Overlay.read(dev).allowlist()).containsExactly("docs.example.com");
            assertThat(Overlay.read(dev).requests()).containsExactly(request.id());
            assertThat(decision(dev, request)).get().extracting(Decision::status).isEqualTo(RequestStatus.APPROVED);
            assertThat(decision(dev, request).get().note()).isEqualTo("ok for docs");
            assertThat(outcome.messages()).singleElement().asString().contains("when it is resumed");
            assertThat(control.reloads).isEmpty();
            assertThat(auditEntries(dev)).extracting(entry -> entry.get("decision").asText())
                    .containsExactly("requested", "approved", "applied");
        }

        @Test
        void approvalOfRunningBottleReloadsLiveConfigInPlace() throws IOException {
            BottleFixture.writeBundleConfig(dev);
            control.running.add(dev.identity());
            Object inodeBefore = Files.getAttribute(dev.bundleConfig(), "unix:ino");
            QueuedRequest request = fixture.egress(dev, "https://registry.example.com:8443/v2/");

            Dashboard.Outcome outcome = dashboard.approve(request.id(), null);

            LiveBundleConfig live = LiveBundleConfig.read(dev.bundleConfig());
            assertThat(live.allowlist()).contains("api.anthropic.com", "registry.example.com:8443");
            assertThat(BottleFixture.read(dev.bundleConfig())).startsWith("# Rendered by claude-bottle");
            assertThat(Files.getAttribute(dev.bundleConfig(), "unix:ino")).isEqualTo(inodeBefore);
            assertThat(control.reloads).containsExactly(dev.identity());
            assertThat(Overlay.read(dev).allowlist()).containsExactly("registry.example.com:8443");
            assertThat(outcome.messages()).singleElement().asString().contains("now");
        }

        @Test
        void allowPrivateReachesLiveConfigAndOverlay() throws IOException {
            BottleFixture.writeBundleConfig(dev);
            control.running.add(dev.identity());
            QueuedRequest request = fixture.egress(dev, "https://standin.example.test:8443/v1");

            Dashboard.Outcome outcome = dashboard.approve(request.id(), null, null, true);

            String live = BottleFixture.read(dev.bundleConfig());
            assertThat(live).contains("host: standin.example.test").contains("allow_private: true");
            assertThat(Overlay.read(dev).allowlist()).containsExactly("standin.example.test:8443");
            assertThat(Overlay.read(dev).privateHosts()).containsExactly("standin.example.test");
            assertThat(outcome.messages()).singleElement().asString().contains("private addresses included");
        }

        @Test
        void allowPrivateIsRejectedForRoute() {
            QueuedRequest request = fixture.submit(dev, "capability-block",
                    "{\"packages\": [\"jq\"], \"justification\": \"json\"}");

            assertThatThrownBy(() -> dashboard.approve(request.id(), null, null, true))
                    .isInstanceOf(DashboardException.class)
                    .hasMessageContaining("only an egress-block request allows a host");
            assertThat(decision(dev, request)).isEmpty();
        }

        @Test
        void plainHttpOnPort80NeedsNoPort() {
            BottleFixture.writeBundleConfig(dev);
            control.running.add(dev.identity());
            QueuedRequest request = fixture.egress(dev, "http://plain.example.com/file");

            dashboard.approve(request.id(), null);

            assertThat(Overlay.read(dev).allowlist()).containsExactly("plain.example.com");
            assertThat(LiveBundleConfig.read(dev.bundleConfig()).allowlist()).contains("plain.example.com");
        }

        @Test
        void failedReloadKeepsRequestPendingAndFilesUnchanged() {
            BottleFixture.writeBundleConfig(dev);
            String configBefore = BottleFixture.read(dev.bundleConfig());
            control.running.add(dev.identity());
            control.reloadFailure = "docker exited with 1: permission denied";
            QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");

            assertThatThrownBy(() -> dashboard.approve(request.id(), null))
                    .isInstanceOf(DashboardException.class)
                    .hasMessageContaining("stays pending")
                    .hasMessageContaining("permission denied");

            assertThat(decision(dev, request)).isEmpty();
            assertThat(dashboard.pending()).extracting(Dashboard.Pending::id).containsExactly(request.id());
            assertThat(BottleFixture.read(dev.bundleConfig())).isEqualTo(configBefore);
            assertThat(dev.overlayFile()).doesNotExist();
        }

        @Test
        void failedReloadRestoresEarlierOverlay() {
            QueuedRequest earlier = fixture.egress(dev, "https://one.example.com/a");
            dashboard.approve(earlier.id(), null);
            BottleFixture.writeBundleConfig(dev);
            control.running.add(dev.identity());
            control.reloadFailure = "engine down";
            QueuedRequest request = fixture.egress(dev, "https://two.example.com/b");

            assertThatThrownBy(() -> dashboard.approve(request.id(), null)).isInstanceOf(DashboardException.class);

            assertThat(Overlay.read(dev).allowlist()).containsExactly("one.example.com");
            assertThat(Overlay.read(dev).requests()).containsExactly(earlier.id());
        }

        @Test
        void modifiedInputIsAppliedInstead() {
            QueuedRequest request = fixture.egress(dev, "https://cdn.docs.example.com/page");

            Dashboard.Outcome outcome = dashboard.approve(request.id(), "narrowed",
                    BottleFixture.object("{\"failed_url\": \"https://docs.example.com/\", \"justification\": \"docs\"}"));

            assertThat(outcome.decision().modified()).isTrue();
            assertThat(Overlay.read(dev).allowlist()).containsExactly("docs.example.com");
            assertThat(decision(dev, request).get().modifiedProposal().get("host").asText())
                    .isEqualTo("docs.example.com");
        }

        @Test
        void invalidModifiedInputChangesNothing() {
            QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");

            assertThatThrownBy(() -> dashboard.approve(request.id(), null,
                    BottleFixture.object("{\"failed_url\": \"http://127.0.0.1/\", \"justification\": \"x\"}")))
                    .isInstanceOf(DashboardException.class)
                    .hasMessageContaining("modified input")
                    .hasMessageContaining("invalid");

            assertThat(decision(dev, request)).isEmpty();
            assertThat(dev.overlayFile()).doesNotExist();
        }

        @Test
        void modifiedInputWithSecretIsRefused() {
            QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");

            assertThatThrownBy(() -> dashboard.approve(request.id(), null, BottleFixture.object(
                    "{\"failed_url\": \"https://docs.example.com/\", \"justification\": "
                            + "\"ghp_madeUpForTestsOnly000000000000000000\"}")))
                    .isInstanceOf(DashboardException.class)
                    .hasMessageContaining("secret")
                    .hasMessageNotContaining("ghp_madeUp");

            assertThat(decision(dev, request)).isEmpty();
        }

        @Test
        void tamperedProposalIsNotApplied() throws IOException {
            QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");
            Path file = dev.queueDirectory().resolve(request.id() + ".request.json");
            Files.writeString(file, Files.readString(file).replace("\"host\" : \"docs.example.com\"",
                    "\"host\" : \"exfil.example.net\""));
            assertThat(Files.readString(file)).contains("exfil.example.net");

            assertThatThrownBy(() -> dashboard.approve(request.id(), null))
                    .isInstanceOf(DashboardException.class)
                    .hasMessageContaining("stays pending")
                    .hasMessageContaining("does not match its input");

            assertThat(decision(dev, request)).isEmpty();
            assertThat(dev.overlayFile()).doesNotExist();
        }

        @Test
        void secondApprovalIsRejected() {
            QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");
            dashboard.approve(request.id(), null);

            assertThatThrownBy(() -> dashboard.approve(request.id(), null))
                    .isInstanceOf(DashboardException.class)
                    .hasMessageContaining("is not pending")
                    .hasMessageContaining("approved");
            assertThat(Overlay.read(dev).allowlist()).containsExactly("docs.example.com");
        }

        @Test
        void approvalTouchesOnlyItsOwnBottle() {
            BottleFixture.writeBundleConfig(dev);
            BottleFixture.writeBundleConfig(review);
            String reviewConfig = BottleFixture.read(review.bundleConfig());
            control.running.addAll(List.of(dev.identity(), review.identity()));
            QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");
            QueuedRequest other = fixture.egress(review, "https://other.example.com/page");

            dashboard.approve(request.id(), null);

            assertThat(control.reloads).containsExactly(dev.identity());
            assertThat(BottleFixture.read(review.bundleConfig())).isEqualTo(reviewConfig);
            assertThat(review.overlayFile()).doesNotExist();
            assertThat(decision(review, other)).isEmpty();
        }
    }

    @Nested
    class Rejection {

        @Test
        void rejectionStoresReasonForAgent() {
            QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");

            dashboard.reject(request.id(), "use the internal mirror");

            Decision decision = decision(dev, request).orElseThrow();
            assertThat(decision.status()).isEqualTo(RequestStatus.REJECTED);
            assertThat(decision.note()).isEqualTo("use the internal mirror");
            assertThat(dev.overlayFile()).doesNotExist();
        }

        @Test
        void rejectionWithoutReasonIsRefused() {
            QueuedRequest request = fixture.egress(dev, "https://docs.example.com/page");

            assertThatThrownBy(() -> dashboard.reject(request.id(), " "))
                    .isInstanceOf(DashboardException.class)
                    .hasMessageContaining("reason");

            assertThat(decision(dev, request)).isEmpty();
        }
    }

    @Nested
    class CredentialRoute {

        private QueuedRequest askForRoute(BottleState bottle, String path, String tokenRef) {
            return fixture.submit(bottle, "cred-proxy-block", "{\"path\": \"" + path + "\", \"upstream\": "
                    + "\"https://api.example.com/v1\", \"auth_scheme\": \"Bearer\", \"token_ref\": \"" + tokenRef
                    + "\", \"justification\": \"the task calls this API\"}");
        }

        @Test
        void routeJoinsOverlayAndNamesTokenVariable() {
            QueuedRequest request = askForRoute(dev, "/example/", "EXAMPLE_TOKEN");

            Dashboard.Outcome outcome = dashboard.approve(request.id(), null);

            assertThat(Overlay.read(dev).routes()).singleElement().satisfies(route -> {
                assertThat(route).containsEntry("path", "/example/").containsEntry("token_ref", "EXAMPLE_TOKEN");
                assertThat(route).containsEntry("upstream", "https://api.example.com/v1");
            });
            assertThat(outcome.messages()).anySatisfy(message -> assertThat(message)
                    .contains("EXAMPLE_TOKEN").contains("not set"));
            assertThat(outcome.messages()).anySatisfy(message -> assertThat(message)
                    .contains("claude-bottle resume dev-abcde"));
        }

        @Test
        void routeGoesLiveWhenBundleHoldsToken() {
            BottleFixture.writeBundleConfig(dev);
            control.running.add(dev.identity());
            QueuedRequest request = askForRoute(dev, "/example/", "GH_PAT");

            Dashboard.Outcome outcome = dashboard.approve(request.id(), null);

            LiveBundleConfig live = LiveBundleConfig.read(dev.bundleConfig());
            assertThat(live.routes()).extracting(route -> route.get("path")).containsExactly("/gh-api/", "/example/");
            assertThat(live.allowlist()).contains("api.example.com");
            assertThat(control.reloads).containsExactly(dev.identity());
            assertThat(outcome.messages()).anySatisfy(message -> assertThat(message).contains("is live"));
            assertThat(outcome.messages()).anySatisfy(message -> assertThat(message).contains("it is set"));
        }

        @Test
        void routeWithTokenBundleLacksStaysOutOfLiveConfig() {
            BottleFixture.writeBundleConfig(dev);
            String before = BottleFixture.read(dev.bundleConfig());
            control.running.add(dev.identity());
            QueuedRequest request = askForRoute(dev, "/example/", "EXAMPLE_TOKEN");

            dashboard.approve(request.id(), null);

            assertThat(BottleFixture.read(dev.bundleConfig())).isEqualTo(before);
            assertThat(control.reloads).isEmpty();
            assertThat(Overlay.read(dev).routes()).hasSize(1);
        }

        @Test
        void routeGoesLiveWithTokenFromHostEnvironment() {
            BottleFixture.writeBundleConfig(dev);
            control.running.add(dev.identity());
            Dashboard withToken = new Dashboard(BottleDirectory.of(stateRoot), control,
                    Map.of("EXAMPLE_TOKEN", "example-token-value"), Clock.systemUTC());
            QueuedRequest request = askForRoute(dev, "/example/", "EXAMPLE_TOKEN");

            Dashboard.Outcome outcome = withToken.approve(request.id(), null);

            assertThat(control.secrets).containsExactly(dev.identity()
                    + " {\"tokens\":{\"EXAMPLE_TOKEN\":\"example-token-value\"}}");
            LiveBundleConfig live = LiveBundleConfig.read(dev.bundleConfig());
            assertThat(live.routes()).extracting(route -> route.get("path")).containsExactly("/gh-api/", "/example/");
            assertThat(control.reloads).containsExactly(dev.identity());
            assertThat(outcome.messages()).anySatisfy(message -> assertThat(message).contains("is live")
                    .contains("EXAMPLE_TOKEN").contains("https://api.example.com/v1"));
            assertThat(String.join("\n", outcome.messages())).doesNotContain("example-token-value");
            assertThat(BottleFixture.read(dev.auditLog())).doesNotContain("example-token-value");
        }

        @Test
        void failedTokenHandOverLeavesRequestPending() {
            BottleFixture.writeBundleConfig(dev);
            String before = BottleFixture.read(dev.bundleConfig());
            control.running.add(dev.identity());
            control.secretsFailure = "receive-secrets exited with 3";
            Dashboard withToken = new Dashboard(BottleDirectory.of(stateRoot), control,
                    Map.of("EXAMPLE_TOKEN", "example-token-value"), Clock.systemUTC());
            QueuedRequest request = askForRoute(dev, "/example/", "EXAMPLE_TOKEN");

            assertThatThrownBy(() -> withToken.approve(request.id(), null))
                    .isInstanceOf(DashboardException.class)
                    .hasMessageContaining("receive-secrets exited with 3");

            assertThat(decision(dev, request)).isEmpty();
            assertThat(BottleFixture.read(dev.bundleConfig())).isEqualTo(before);
            assertThat(control.reloads).isEmpty();
            assertThat(dev.overlayFile()).doesNotExist();
        }

        @Test
        void routeOnTakenPathStaysPending() {
            BottleFixture.writeBundleConfig(dev);
            control.running.add(dev.identity());
            QueuedRequest request = askForRoute(dev, "/gh-api", "GH_PAT");

            assertThatThrownBy(() -> dashboard.approve(request.id(), null))
                    .isInstanceOf(DashboardException.class)
                    .hasMessageContaining("stays pending")
                    .hasMessageContaining("/gh-api/");

            assertThat(decision(dev, request)).isEmpty();
            assertThat(dev.overlayFile()).doesNotExist();
        }
    }

    @Nested
    class Capability {

        @Test
        void packagesBecomeAgentDockerfile() {
            QueuedRequest request = fixture.submit(dev, "capability-block",
                    "{\"packages\": [\"jq\", \"ripgrep\"], \"justification\": \"search the tree\"}");

            Dashboard.Outcome outcome = dashboard.approve(request.id(), null);

            String dockerfile = BottleFixture.read(dev.agentDockerfile());
            assertThat(dockerfile).contains("FROM claude-bottle/agent\n")
                    .contains("apt-get install -y --no-install-recommends jq ripgrep")
                    .endsWith("USER agent\n");
            assertThat(Overlay.read(dev).agentDockerfile(dev)).contains(dev.agentDockerfile());
            assertThat(outcome.messages()).singleElement().asString().contains("claude-bottle resume dev-abcde");
        }

        @Test
        void secondCapabilityExtendsDockerfile() {
            dashboard.approve(fixture.submit(dev, "capability-block",
                    "{\"packages\": [\"jq\"], \"justification\": \"json\"}").id(), null);

            dashboard.approve(fixture.submit(dev, "capability-block",
                    "{\"packages\": [\"typescript\"], \"package_manager\": \"npm\", \"justification\": \"tsc\"}").id(), null);

            String dockerfile = BottleFixture.read(dev.agentDockerfile());
            assertThat(dockerfile.lines().filter(line -> line.startsWith("FROM "))).hasSize(1);
            assertThat(dockerfile).contains("jq").contains("RUN npm install -g typescript");
        }

        @Test
        void proposedDockerfileIsWrittenAsSent() {
            String proposed = "FROM claude-bottle/agent\\nRUN echo built\\n";
            QueuedRequest request = fixture.submit(dev, "capability-block",
                    "{\"dockerfile\": \"" + proposed + "\", \"justification\": \"custom\"}");

            dashboard.approve(request.id(), null);

            assertThat(BottleFixture.read(dev.agentDockerfile())).isEqualTo("FROM claude-bottle/agent\nRUN echo built\n");
        }
    }

    @Nested
    class OverlayMerge {

        private Bottle bottle(List<Route> routes) {
            return new Bottle("box", stateRoot.resolve("box.md"), List.of("box"), Map.of(), List.of(), routes,
                    List.of("pypi.org"), DlpAction.BLOCK, true, "The box bottle.");
        }

        @Test
        void overlayAddsHostsAndRoutesAfterManifest() {
            fixture.egress(dev, "https://docs.example.com/page");
            dashboard.approve(dashboard.pending().get(0).id(), null);
            Overlay overlay = Overlay.read(dev).withRoute(Map.of("path", "/example/", "upstream",
                    "https://api.example.com", "token_ref", "EXAMPLE_TOKEN"), "20261204T203501Z-00000000");
            Route manifestRoute = new Route("/gh-api/", URI.create("https://api.github.com"), AuthScheme.BEARER,
                    "GH_PAT", Set.of());

            Bottle merged = overlay.mergeInto(bottle(List.of(manifestRoute)));

            assertThat(merged.allowlist()).containsExactly("pypi.org", "docs.example.com");
            assertThat(merged.routes()).extracting(Route::path).containsExactly("/gh-api/", "/example/");
        }

        @Test
        void overlayRouteOnManifestPathFailsMerge() {
            Overlay overlay = Overlay.empty().withRoute(Map.of("path", "/gh-api/", "upstream",
                    "https://api.example.com", "token_ref", "EXAMPLE_TOKEN"), "20261204T203501Z-00000000");
            Route manifestRoute = new Route("/gh-api/", URI.create("https://api.github.com"), AuthScheme.BEARER,
                    "GH_PAT", Set.of());

            assertThatThrownBy(() -> overlay.mergeInto(bottle(List.of(manifestRoute))))
                    .isInstanceOf(DashboardException.class)
                    .hasMessageContaining("/gh-api/")
                    .hasMessageContaining(BottleState.OVERLAY_FILE);
        }

        @Test
        void overlayRoundTripsThroughFile() {
            Overlay overlay = Overlay.empty().withAllowed("a.example.com", "20261204T203501Z-00000001")
                    .withAllowed("b.example.test:8443", "20261204T203501Z-00000004", "b.example.test")
                    .withRoute(Map.of("path", "/x/", "upstream", "https://x.example.com", "token_ref", "X_TOKEN"),
                            "20261204T203501Z-00000002")
                    .withAgentDockerfile("20261204T203501Z-00000003");

            overlay.write(dev);

            assertThat(Overlay.read(dev)).isEqualTo(overlay);
        }

        @Test
        void corruptOverlayIsReportedWithFix() throws IOException {
            Files.writeString(dev.overlayFile(), "{\"format\": 9}");

            assertThatThrownBy(() -> Overlay.read(dev))
                    .isInstanceOf(DashboardException.class)
                    .hasMessageContaining(dev.overlayFile().toString())
                    .hasMessageContaining("format");
        }
    }
}
