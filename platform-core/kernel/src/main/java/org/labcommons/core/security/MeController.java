package org.labcommons.core.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code GET /api/v1/me}: who the caller is, where it acts, and its roles there. */
@Controller("/api/v1/me")
@RequiresRole(PlatformRole.CORE)
public class MeController {

    /** The caller as the API shows it; roles and scope types by their database names. */
    @Serdeable
    public record Me(UUID userId, String issuer, String subject, UUID homeTenant, UUID actingTenant, List<Held> roles) {
    }

    /** One role assignment in the acting tenant. */
    @Serdeable
    public record Held(String role, String scopeType, @Nullable UUID scopeId, Instant grantedAt) {
    }

    @Operation(summary = "Who the caller is: user, tenants and roles")
    @Get(produces = MediaType.APPLICATION_JSON)
    public Me me(AuthenticatedUser user) {
        return new Me(user.userId(), user.issuer(), user.subject(), user.homeTenant().value(), user.actingTenant().value(),
                user.roles().stream().map(r -> new Held(r.role().id(), r.scopeType().id(), r.scopeId(), r.grantedAt())).toList());
    }
}
