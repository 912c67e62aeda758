package org.labcommons.core.org;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.validation.Validated;
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

    @Get
    public Page<OrgUnit> list(HttpRequest<?> request,
                              @Nullable @QueryValue @Pattern(regexp = "department|lab|platform") String kind,
                              @Nullable @QueryValue UUID parentId,
                              @QueryValue(defaultValue = "0") @Min(0) int page,
                              @QueryValue(defaultValue = "20") @Min(1) @Max(100) int size) {
        AuthenticatedUser user = caller(request);
        return new Page<>(service.list(user.actingTenant(), kind, parentId, page * size, size), page, size);
    }

    @Get("/{id}")
    public OrgUnit get(HttpRequest<?> request, @PathVariable UUID id) {
        return service.find(caller(request).actingTenant(), id).orElseThrow(ProblemException::notFound);
    }

    @Post
    public HttpResponse<OrgUnit> create(HttpRequest<?> request, @Body @Valid OrgUnitInput input) {
        AuthenticatedUser user = caller(request);
        if (!access.allows(user.roles(), Action.MANAGE_ORGANISATION, Scope.tenant(user.actingTenant()))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        OrgUnit created = service.create(user.actingTenant(),
                new AuditEntry.Actor(user.issuer(), user.subject(), user.actingTenant().toString()), input);
        return HttpResponse.created(created);
    }

    @Put("/{id}")
    public OrgUnit update(HttpRequest<?> request, @PathVariable UUID id, @Body @Valid OrgUnitInput input) {
        AuthenticatedUser user = manager(request);
        return service.update(user.actingTenant(), actor(user), id, input);
    }

    /** The unit's admins (instrument or platform admins held on the unit's scope). */
    @Get("/{id}/admins")
    public Admins admins(HttpRequest<?> request, @PathVariable UUID id) {
        AuthenticatedUser user = manager(request);
        return new Admins(admins.list(user.actingTenant(), id));
    }

    @Post("/{id}/admins")
    public HttpResponse<UnitAdmins.UnitAdmin> assign(HttpRequest<?> request, @PathVariable UUID id,
                                                     @Body @Valid UnitAdmins.Assignment assignment) {
        AuthenticatedUser user = manager(request);
        return HttpResponse.created(admins.assign(user.actingTenant(), actor(user), id, assignment));
    }

    @Delete("/{id}/admins/{assignmentId}")
    public HttpResponse<Void> revoke(HttpRequest<?> request, @PathVariable UUID id, @PathVariable UUID assignmentId) {
        AuthenticatedUser user = manager(request);
        admins.revoke(user.actingTenant(), actor(user), id, assignmentId);
        return HttpResponse.noContent();
    }

    private AuthenticatedUser manager(HttpRequest<?> request) {
        AuthenticatedUser user = caller(request);
        if (!access.allows(user.roles(), Action.MANAGE_ORGANISATION, Scope.tenant(user.actingTenant()))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return user;
    }

    private static AuditEntry.Actor actor(AuthenticatedUser user) {
        return new AuditEntry.Actor(user.issuer(), user.subject(), user.actingTenant().toString());
    }

    private static AuthenticatedUser caller(HttpRequest<?> request) {
        return request.getAttribute(AuthenticatedUser.ATTRIBUTE, AuthenticatedUser.class)
                .orElseThrow(() -> new ProblemException(HttpStatus.UNAUTHORIZED, "invalid_token"));
    }
}
