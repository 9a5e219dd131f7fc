package dev.chorus.web;

import dev.chorus.access.ApiToken;
import dev.chorus.access.Role;
import dev.chorus.access.TokenService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** API tokens: admins create them (the secret is in the answer, once), list them and revoke them. */
@Path("/api/tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
@Tag(name = "tokens")
public class TokenResource {

    /** A token as listed: never its secret. */
    public record TokenView(long id, String name, String role, String prefix, String createdBy, Instant createdAt,
                            Instant lastUsedAt, Instant revokedAt) {
        static TokenView of(ApiToken t) {
            return new TokenView(t.id(), t.name(), t.role().id(), t.prefix(), t.createdBy(), t.createdAt(),
                    t.lastUsedAt(), t.revokedAt());
        }
    }

    /** A new token with its secret: store it now, it is not shown again. */
    public record CreatedToken(long id, String name, String role, String prefix, Instant createdAt, String token) {
    }

    private final TokenService tokens;
    private final SecurityIdentity identity;

    TokenResource(TokenService tokens, SecurityIdentity identity) {
        this.tokens = tokens;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a token",
            description = "Body: {name, role: viewer | operator | admin | worker}. The answer holds the token "
                    + "itself; Chorus keeps only its hash and never shows it again.")
    public Response create(TokenService.TokenRequest request, @Context UriInfo uri) {
        if (request == null) {
            throw new BadRequestException("the body must be a JSON token request: {\"name\": \"ci\", \"role\": \"operator\"}");
        }
        TokenService.Created created = tokens.create(request, TokenAuthMechanism.caller(identity));
        ApiToken t = created.token();
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(t.id())).build())
                .header("Cache-Control", "no-store")
                .entity(new CreatedToken(t.id(), t.name(), t.role().id(), t.prefix(), t.createdAt(), created.secret()))
                .build();
    }

    @GET
    @Operation(summary = "List tokens, newest first, revoked ones included; secrets are never listed")
    public List<TokenView> list() {
        return tokens.list().stream().map(TokenView::of).toList();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke a token: requests with it are refused from now on")
    public TokenView revoke(@PathParam("id") long id) {
        return TokenView.of(tokens.revoke(id, TokenAuthMechanism.caller(identity)));
    }
}
