package dev.chorus.web;

import dev.chorus.access.Caller;
import dev.chorus.access.Role;
import dev.chorus.config.ChorusConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Set;

/**
 * Finds who sent a request: an API token in {@code Authorization: Bearer}, else the dashboard's session
 * cookie (a session id set by {@link SignInResource}, never a token), else, when {@code chorus.auth.loopback-admin} is on, an admin
 * for requests from this machine's loopback to a loopback host name that no proxy forwarded. Anything
 * else is anonymous, which every endpoint but sign-in refuses ({@code @RolesAllowed} on each).
 *
 * <p>The loopback convenience checks the Host header too: a page from another site that resolves its
 * own name to 127.0.0.1 (DNS rebinding) sends its own name as Host and gets no admin.
 */
@ApplicationScoped
class TokenAuthMechanism implements HttpAuthenticationMechanism {

    static final String SESSION_COOKIE = "chorus_session";
    static final String CALLER = "chorus.caller";
    /** The credential types {@link TokenIdentityProvider} tells apart: an API token, a session id. */
    static final String BEARER = "bearer";
    static final String COOKIE = "cookie";
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
    /** A request carrying any of these (or any {@code X-Forwarded-*}) came through a proxy. */
    private static final Set<String> PROXY_HEADERS = Set.of("forwarded", "x-real-ip", "via");

    private final boolean loopbackAdmin;
    private final AuthThrottle throttle;

    TokenAuthMechanism(ChorusConfig config, AuthThrottle throttle) {
        this.loopbackAdmin = config.auth().loopbackAdmin();
        this.throttle = throttle;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        HttpServerRequest request = context.request();
        String header = request.getHeader("Authorization");
        if (header != null) {
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
                return checked(request, Uni.createFrom().failure(new AuthenticationFailedException(
                        "the Authorization header must be 'Bearer <token>'")));
            }
            return token(context, identities, header.substring(7).strip(), BEARER);
        }
        Cookie session = request.getCookie(SESSION_COOKIE);
        if (session != null && !session.getValue().isBlank()) {
            return token(context, identities, session.getValue(), COOKIE);
        }
        if (loopbackAdmin && fromLoopback(request)) {
            return Uni.createFrom().item(identity(new Caller("local", Role.ADMIN, null)));
        }
        return Uni.createFrom().nullItem();
    }

    private Uni<SecurityIdentity> token(RoutingContext context, IdentityProviderManager identities, String secret,
                                        String via) {
        return checked(context.request(), identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new TokenAuthenticationRequest(new TokenCredential(secret, via)), context)));
    }

    /** A credential's check, unless its address failed too often this minute (then refused unchecked). */
    private Uni<SecurityIdentity> checked(HttpServerRequest request, Uni<SecurityIdentity> check) {
        String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        return throttle.refusal(address)
                .<Uni<SecurityIdentity>>map(wait -> Uni.createFrom().failure(new AuthThrottle.TooManyAttempts(wait)))
                .orElseGet(() -> check.onFailure(AuthenticationFailedException.class)
                        .invoke(() -> throttle.failed(address)));
    }

    /** Sent by this machine to a loopback name, not through a proxy. */
    static boolean fromLoopback(HttpServerRequest request) {
        if (request.remoteAddress() == null || !loopbackAddress(request.remoteAddress().hostAddress())) {
            return false;
        }
        for (String name : request.headers().names()) {
            String header = name.toLowerCase(Locale.ROOT);
            if (PROXY_HEADERS.contains(header) || header.startsWith("x-forwarded-")) {
                return false;
            }
        }
        // authority(): the Host header in HTTP/1.1, the :authority pseudo-header in HTTP/2
        return request.authority() != null && request.authority().host() != null
                && LOOPBACK_HOSTS.contains(request.authority().host().toLowerCase(Locale.ROOT));
    }

    private static boolean loopbackAddress(String address) {
        return address != null && (address.startsWith("127.") || address.equals("::1")
                || address.equals("0:0:0:0:0:0:0:1") || address.startsWith("::ffff:127."));
    }

    static SecurityIdentity identity(Caller caller) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(caller.name()))
                .addRoles(caller.role().grants()).addAttribute(CALLER, caller).build();
    }

    /** Who the identity is; the identity must be one this mechanism or {@link TokenIdentityProvider} made. */
    static Caller caller(SecurityIdentity identity) {
        Caller caller = identity.getAttribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException("no Chorus caller on this request's identity");
        }
        return caller;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"chorus\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
