package dev.chorus.web;

import dev.chorus.access.Caller;
import dev.chorus.access.SessionService;
import dev.chorus.access.TokenService;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Turns a credential from {@link TokenAuthMechanism} into an identity with its role's grants: an API token
 * (type {@value TokenAuthMechanism#BEARER}) or a dashboard session id (type {@value TokenAuthMechanism#COOKIE}).
 * Looks them up off the event loop.
 */
@ApplicationScoped
class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final TokenService tokens;
    private final SessionService sessions;

    TokenIdentityProvider(TokenService tokens, SessionService sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String secret = request.getToken().getToken();
        boolean session = TokenAuthMechanism.COOKIE.equals(request.getToken().getType());
        return context.runBlocking(() -> {
            Optional<Caller> caller = session ? sessions.authenticate(secret) : tokens.authenticate(secret);
            return caller.map(TokenAuthMechanism::identity).orElseThrow(() -> new AuthenticationFailedException(
                    session ? "the session expired, was signed out or its token was revoked; sign in again"
                            : "the token is unknown or was revoked"));
        });
    }
}
