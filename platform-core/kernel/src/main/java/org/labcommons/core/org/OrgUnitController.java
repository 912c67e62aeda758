package org.labcommons.core.org;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.Validated;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;

import java.util.List;
import java.util.UUID;

/**
 * Org units of the caller's acting tenant. The tenant is never a parameter: it comes from the
 * authenticated caller, and the database's row level security holds the line behind it.
 */
@Controller("/api/v1/org-units")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Validated
public class OrgUnitController {
    private final OrgUnitService service;
    private final UnitAdmins admins;
    private final AccessPolicy access;

    public OrgUnitController(OrgUnitService service, UnitAdmins admins, AccessPolicy access) {
        this.service = service;
        this.admins = admins;
        this.access = access;
    }

    /** A page of results. */
    @Serdeable
    public record Page<T>(List<T> items, int page, int size) {
    }

    /** The admins of a unit (a unit has few: no paging). */
    @Serdeable
    public record Admins(List<UnitAdmins.UnitAdmin> items) {
    }

    @Operation(summary = "List the org units of the acting tenant")
    @Get
    public Page<OrgUnit> list(AuthenticatedUser user,
                              @Nullable @QueryValue @Pattern(regexp = "department|lab|platform") String kind,
                              @Nullable @QueryValue UUID parentId,
                              @QueryValue(defaultValue = "0") @Min(0) int page,
                              @QueryValue(defaultValue = "20") @Min(1) @Max(100) int size) {
        return new Page<>(service.list(user.actingTenant(), kind, parentId, page * size, size), page, size);
    }

    @Operation(summary = "Read one org unit")
    @Get("/{id}")
    public OrgUnit get(AuthenticatedUser user, @PathVariable UUID id) {
        return service.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
    }

    @Operation(summary = "Create an org unit")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<OrgUnit> create(AuthenticatedUser caller, @Body @Valid OrgUnitInput input) {
        AuthenticatedUser user = manager(caller);
        OrgUnit created = service.create(user.actingTenant(), actor(user), input);
        return HttpResponse.created(created);
    }

    @Operation(summary = "Update an org unit")
    @Put("/{id}")
    public OrgUnit update(AuthenticatedUser caller, @PathVariable UUID id, @Body @Valid OrgUnitInput input) {
        AuthenticatedUser user = manager(caller);
        return service.update(user.actingTenant(), actor(user), id, input);
    }

    /** The unit's admins (instrument or platform admins held on the unit's scope). */
    @Operation(summary = "List a unit's admins")
    @Get("/{id}/admins")
    public Admins admins(AuthenticatedUser caller, @PathVariable UUID id) {
        AuthenticatedUser user = manager(caller);
        return new Admins(admins.list(user.actingTenant(), id));
    }

    @Operation(summary = "Make someone an admin of a unit")
    @Status(HttpStatus.CREATED)
    @Post("/{id}/admins")
    public HttpResponse<UnitAdmins.UnitAdmin> assign(AuthenticatedUser caller, @PathVariable UUID id,
                                                     @Body @Valid UnitAdmins.Assignment assignment) {
        AuthenticatedUser user = manager(caller);
        return HttpResponse.created(admins.assign(user.actingTenant(), actor(user), id, assignment));
    }

    @Operation(summary = "Revoke a unit admin assignment")
    @Delete("/{id}/admins/{assignmentId}")
    public HttpResponse<Void> revoke(AuthenticatedUser caller, @PathVariable UUID id, @PathVariable UUID assignmentId) {
        AuthenticatedUser user = manager(caller);
        admins.revoke(user.actingTenant(), actor(user), id, assignmentId);
        return HttpResponse.noContent();
    }

    private AuthenticatedUser manager(AuthenticatedUser user) {
        if (!access.allows(user.roles(), Action.MANAGE_ORGANISATION, Scope.tenant(user.actingTenant()))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return user;
    }

    private static AuditEntry.Actor actor(AuthenticatedUser user) {
        return new AuditEntry.Actor(user.issuer(), user.subject(), user.actingTenant().toString());
    }

}
