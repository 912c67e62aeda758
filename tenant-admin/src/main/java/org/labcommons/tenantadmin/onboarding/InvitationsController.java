package org.labcommons.tenantadmin.onboarding;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;

import java.util.UUID;

/**
 * Accepting an institution-admin invitation through the API: the caller's token must come from
 * an identity provider the invited tenant trusts (the page at /onboarding/invitations does the
 * same for a browser).
 */
@Controller("/api/v1/onboarding/invitations")
@RequiresRole(PlatformRole.TENANT_ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class InvitationsController {
    private final AdminInvitations invitations;

    public InvitationsController(AdminInvitations invitations) {
        this.invitations = invitations;
    }

    /** The link's tenant and token. */
    @Serdeable
    public record Acceptance(@Nullable UUID tenantId, @Nullable String token) {
    }

    @Operation(summary = "Accept an admin invitation as the signed-in caller")
    @Post("/accept")
    public AdminInvitations.Accepted accept(AuthenticatedUser user, @Body Acceptance body) {
        if (body.tenantId() == null || body.token() == null) {
            throw ProblemException.notFound();
        }
        return invitations.accept(new TenantId(body.tenantId()), body.token(), user.issuer(), user.subject(), null, null);
    }
}
