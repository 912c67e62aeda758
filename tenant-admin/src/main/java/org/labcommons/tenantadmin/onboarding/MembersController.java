package org.labcommons.tenantadmin.onboarding;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;

import java.util.List;
import java.util.UUID;

/**
 * The caller's network's member institutions: aggregates only, suspension and reactivation,
 * identity-provider registrations with the connection test, and their admin invitations. A
 * tenant that is not a member of the caller's network is 404, exactly like one that does not exist.
 */
@Controller("/api/v1/onboarding/members")
@RequiresRole(PlatformRole.TENANT_ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class MembersController {
    private final OnboardingAccess access;
    private final MemberService members;
    private final AdminInvitations invitations;

    public MembersController(OnboardingAccess access, MemberService members, AdminInvitations invitations) {
        this.access = access;
        this.members = members;
        this.invitations = invitations;
    }

    /** Why a tenant is suspended or reactivated (required, audited). */
    @Serdeable
    public record StatusChange(@Nullable String reason) {
    }

    /** One more institution admin to invite. */
    @Serdeable
    public record NewInvitation(@Nullable String email, @Nullable String language) {
    }

    @Operation(summary = "List the network's member institutions")
    @Get
    public ApplicationService.Page<MemberService.Member> list(AuthenticatedUser user,
            @QueryValue(defaultValue = "0") @Min(0) @Max(100000) int page,
            @QueryValue(defaultValue = "20") @Min(1) @Max(100) int size) {
        return members.list(access.require(user).network(), page, size);
    }

    @Operation(summary = "Read one member institution")
    @Get("/{id}")
    public MemberService.Member get(AuthenticatedUser user, @PathVariable UUID id) {
        return members.find(access.require(user).network(), id).orElseThrow(ProblemException::notFound);
    }

    @Operation(summary = "Suspend a member institution")
    @Post("/{id}/suspend")
    public MemberService.Member suspend(AuthenticatedUser user, @PathVariable UUID id, @Body StatusChange change) {
        var caller = access.require(user);
        return members.suspend(caller.network(), caller.actor(), id, change.reason());
    }

    @Operation(summary = "Reactivate a suspended member institution")
    @Post("/{id}/reactivate")
    public MemberService.Member reactivate(AuthenticatedUser user, @PathVariable UUID id, @Body StatusChange change) {
        var caller = access.require(user);
        return members.reactivate(caller.network(), caller.actor(), id, change.reason());
    }

    @Operation(summary = "List a member's identity providers")
    @Get("/{id}/identity-providers")
    public List<MemberService.IdentityProvider> identityProviders(AuthenticatedUser user, @PathVariable UUID id) {
        return members.identityProviders(access.require(user).network(), id);
    }

    /** "Test the connection": fetches each registered provider's discovery document and key set. */
    @Operation(summary = "Test a member's identity providers (discovery document and key set)")
    @Post("/{id}/identity-providers/test")
    public List<IdentityProviderCheck.Result> test(HttpRequest<?> request, AuthenticatedUser user, @PathVariable UUID id) {
        var caller = access.require(user);
        return members.testIdentityProviders(caller.network(), caller.actor(), id, Problems.locale(request));
    }

    @Operation(summary = "List a member's admin invitations")
    @Get("/{id}/invitations")
    public List<AdminInvitations.Invitation> invitations(AuthenticatedUser user, @PathVariable UUID id) {
        var caller = access.require(user);
        members.find(caller.network(), id).orElseThrow(ProblemException::notFound);
        return invitations.list(new TenantId(id));
    }

    @Operation(summary = "Invite an admin to a member institution")
    @Status(HttpStatus.CREATED)
    @Post("/{id}/invitations")
    public HttpResponse<AdminInvitations.Invitation> invite(AuthenticatedUser user, @PathVariable UUID id,
                                                           @Body NewInvitation body) {
        var caller = access.require(user);
        members.find(caller.network(), id).orElseThrow(ProblemException::notFound);
        return HttpResponse.created(invitations.invite(new TenantId(id), caller.actor(), body.email(), body.language()));
    }

    @Operation(summary = "Send an admin invitation again")
    @Post("/{id}/invitations/{invitationId}/resend")
    public AdminInvitations.Invitation resend(AuthenticatedUser user, @PathVariable UUID id,
                                              @PathVariable UUID invitationId) {
        var caller = access.require(user);
        members.find(caller.network(), id).orElseThrow(ProblemException::notFound);
        return invitations.send(new TenantId(id), caller.actor(), invitationId);
    }
}
