package dev.claudebottle.credproxy.route;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A tag on a route telling the launcher how to point a tool inside the agent at it.
 * The manifest spells each role in kebab case, as {@link #manifestName()} returns.
 */
public enum RouteRole {
    /** Claude Code's API base URL ({@code ANTHROPIC_BASE_URL}); at most one route. */
    ANTHROPIC_BASE_URL("anthropic-base-url", true),
    /** npm's default registry in {@code ~/.npmrc}; at most one route. */
    NPM_REGISTRY("npm-registry", true),
    /** A {@code url.<route>.insteadOf} rule in {@code ~/.gitconfig} for the upstream's origin. */
    GIT_INSTEADOF("git-insteadof", false),
    /** A login in the Gitea CLI's {@code ~/.config/tea/config.yml}. */
    TEA_LOGIN("tea-login", false);

    private final String manifestName;
    private final boolean singleRoute;

    RouteRole(String manifestName, boolean singleRoute) {
        this.manifestName = manifestName;
        this.singleRoute = singleRoute;
    }

    /** Returns the spelling used in manifests, such as {@code anthropic-base-url}. */
    public String manifestName() {
        return manifestName;
    }

    /** Returns whether at most one route of a table may carry this role. */
    public boolean singleRoute() {
        return singleRoute;
    }

    /** Finds the role spelled {@code name} in a manifest, matching exactly. */
    public static Optional<RouteRole> fromManifestName(String name) {
        return Arrays.stream(values()).filter(role -> role.manifestName.equals(name)).findFirst();
    }

    static List<String> manifestNames() {
        return Arrays.stream(values()).map(RouteRole::manifestName).toList();
    }
}
