package org.labcommons.tenantadmin.onboarding;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
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
import jakarta.validation.constraints.Pattern;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.Problems;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.net.URI;
import java.util.UUID;

/**
 * The onboarding queue of the caller's network: applications, invitations, review, bulk upload.
 * Only network and consortium admins acting in their network (see {@link OnboardingAccess}); the
 * data is the network's own (row level security on the network's tenant).
 */
@Controller("/api/v1/onboarding/applications")
@RequiresRole(PlatformRole.TENANT_ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class ApplicationsController {
    private final OnboardingAccess access;
    private final ApplicationService applications;
    private final Provisioner provisioner;
    private final BulkOnboarding bulk;
    private final IdentityProviderTests idpTests;

    public ApplicationsController(OnboardingAccess access, ApplicationService applications, Provisioner provisioner,
                                  BulkOnboarding bulk, IdentityProviderTests idpTests) {
        this.access = access;
        this.applications = applications;
        this.provisioner = provisioner;
        this.bulk = bulk;
        this.idpTests = idpTests;
    }

    /** A reviewer's decision to reject, with the reason the institution is told. */
    @Serdeable
    public record Rejection(@Nullable String reason) {
    }

    @Operation(summary = "List the network's onboarding applications")
    @Get
    public ApplicationService.Page<Application> list(AuthenticatedUser user,
            @Nullable @QueryValue @Pattern(regexp = "invited|submitted|provisioning|approved|rejected") String status,
            @QueryValue(defaultValue = "0") @Min(0) @Max(100000) int page,
            @QueryValue(defaultValue = "20") @Min(1) @Max(100) int size) {
        return applications.list(access.require(user).network(), status, page, size);
    }

    @Operation(summary = "Read one onboarding application")
    @Get("/{id}")
    public Application get(AuthenticatedUser user, @PathVariable UUID id) {
        return applications.find(access.require(user).network(), id).orElseThrow(ProblemException::notFound);
    }

    /** Invites an institution: its names and a contact; the contact completes the application. */
    @Operation(summary = "Invite an institution to apply")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<ApplicationService.Invited> invite(AuthenticatedUser user, @Body ApplicationInput input) {
        var caller = access.require(user);
        var invited = applications.invite(caller.network(), caller.actor(), input);
        return HttpResponse.created(invited, URI.create("/api/v1/onboarding/applications/" + invited.application().id()));
    }

    @Operation(summary = "Send the application invitation again")
    @Post("/{id}/resend-invitation")
    public ApplicationService.Invited resendInvitation(AuthenticatedUser user, @PathVariable UUID id) {
        var caller = access.require(user);
        return applications.resendInvitation(caller.network(), caller.actor(), id);
    }

    /**
     * Approves and provisions the institution (or resumes a provisioning that failed midway). A submitted
     * application needs a passed test of the identity provider it names ({@code POST …/identity-provider/test}):
     * 409 {@code idp_not_tested} otherwise.
     */
    @Operation(summary = "Approve an application and provision the institution")
    @Post("/{id}/approve")
    public Application approve(AuthenticatedUser user, @PathVariable UUID id) {
        var caller = access.require(user);
        return provisioner.approve(caller.network(), caller.actor(), id);
    }

    @Operation(summary = "Reject an application")
    @Post("/{id}/reject")
    public Application reject(AuthenticatedUser user, @PathVariable UUID id, @Body Rejection rejection) {
        var caller = access.require(user);
        return applications.reject(caller.network(), caller.actor(), id, rejection.reason());
    }

    /** Tests the identity provider an application names; a passed test is recorded and lets it be approved. */
    @Operation(summary = "Test the identity provider an application names")
    @Post("/{id}/identity-provider/test")
    public IdentityProviderCheck.Result testIdentityProvider(HttpRequest<?> request, AuthenticatedUser user, @PathVariable UUID id) {
        var caller = access.require(user);
        return idpTests.test(caller.network(), caller.actor(), id, Problems.locale(request));
    }

    /**
     * A spreadsheet of institutions (.xlsx or CSV as the request body): {@code dryRun=true}
     * reports every problem by row and writes nothing; otherwise all rows become applications, or
     * none (400 {@code bulk_invalid} with one error per problem). {@code approve=true} then approves each.
     */
    @Operation(summary = "Apply for many institutions at once from a spreadsheet (or check it)")
    @Post(value = "/bulk", consumes = {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            MediaType.APPLICATION_OCTET_STREAM})
    public BulkOnboarding.Report bulk(HttpRequest<?> request, AuthenticatedUser user, @Nullable @Body byte[] file,
                                      @QueryValue(defaultValue = "false") boolean dryRun,
                                      @QueryValue(defaultValue = "false") boolean approve) {
        var caller = access.require(user);
        return bulk.run(caller.network(), caller.actor(), file, dryRun, approve, Problems.locale(request));
    }
}
