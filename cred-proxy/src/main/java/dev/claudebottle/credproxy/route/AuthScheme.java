package dev.claudebottle.credproxy.route;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * The way a route presents its token upstream: as an {@code Authorization} scheme
 * ({@code Bearer}, {@code token}, {@code Basic}) or as the whole value of a named header
 * such as {@code x-api-key}.
 *
 * <p>{@link #toString()} shows the form only, never a token.
 */
public final class AuthScheme {

    /** The {@code Authorization} schemes a manifest may name, in their canonical spelling. */
    public enum Kind {
        BEARER("Bearer"),
        TOKEN("token"),
        BASIC("Basic"),
        /** The token is the whole value of {@link AuthScheme#headerName()}. */
        HEADER(null);

        private final String authorizationScheme;

        Kind(String authorizationScheme) {
            this.authorizationScheme = authorizationScheme;
        }
    }

    private static final String AUTHORIZATION = "authorization";

    private final Kind kind;
    private final String headerName;

    private AuthScheme(Kind kind, String headerName) {
        this.kind = kind;
        this.headerName = headerName;
    }

    public static final AuthScheme BEARER = new AuthScheme(Kind.BEARER, AUTHORIZATION);
    public static final AuthScheme TOKEN = new AuthScheme(Kind.TOKEN, AUTHORIZATION);
    public static final AuthScheme BASIC = new AuthScheme(Kind.BASIC, AUTHORIZATION);

    /**
     * Returns the scheme that sends the token as the whole value of {@code headerName}.
     * The name is stored in lower case because HTTP field names are case-insensitive
     * (RFC 9110, section 5.1).
     */
    public static AuthScheme header(String headerName) {
        return new AuthScheme(Kind.HEADER, headerName.toLowerCase(java.util.Locale.ROOT));
    }

    public Kind kind() {
        return kind;
    }

    /** Returns the lower-case name of the header that carries the credential. */
    public String headerName() {
        return headerName;
    }

    /**
     * Builds the header value for {@code token}. For {@code Basic}, a token of the form
     * {@code user:password} is base64-encoded (RFC 7617); a token without a colon is taken as
     * already encoded and sent unchanged.
     */
    public String headerValue(String token) {
        return switch (kind) {
            case BEARER, TOKEN -> kind.authorizationScheme + " " + token;
            case BASIC -> "Basic " + (token.indexOf(':') >= 0
                    ? Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))
                    : token);
            case HEADER -> token;
        };
    }

    /** Returns the spelling a manifest uses for this scheme. */
    public String manifestName() {
        return kind == Kind.HEADER ? headerName : kind.authorizationScheme;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuthScheme that && kind == that.kind && headerName.equals(that.headerName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, headerName);
    }

    @Override
    public String toString() {
        return manifestName();
    }
}
