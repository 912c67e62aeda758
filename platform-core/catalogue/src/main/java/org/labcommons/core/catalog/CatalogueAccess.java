package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who may read and manage which instruments of the caller's acting tenant: the one set of rules
 * behind the REST API ({@link InstrumentController}) and the admin pages
 * ({@link InstrumentAdminPages}), so a page can never allow what the API refuses.
 * <ul>
 *   <li>reading needs a role in the acting tenant (a user of the tenant's own issuer has one);
 *       anything else is "not found";</li>
 *   <li>private records are seen only by those who may manage them: by id ({@link #readable}) and in
 *       every list, count and export alike ({@link #query} hands the set of instruments the caller
 *       manages, {@link ManagedInstruments}, to the SQL). An instrument admin of one lab sees the
 *       private records of that lab and the units below it, never a sibling lab's; to anyone else a
 *       private record does not exist;</li>
 *   <li>writing needs {@link Action#MANAGE_INSTRUMENT} on the instrument (held on it, on its unit or
 *       an ancestor unit, or on the tenant); creating or moving one needs it on the target unit.</li>
 * </ul>
 * Refusals are {@link ProblemException}s (404 {@code not_found}, 403 {@code forbidden}).
 */
@Singleton
public record CatalogueAccess(InstrumentService service, OrgUnits units, AccessPolicy access,
                              LikelyDuplicates duplicates) {
    /** Reading a tenant's catalogue needs some role there (a token of the tenant's issuer gives USER). */
    public void requireMember(AuthenticatedUser user) {
        if (user.roles().isEmpty() && !user.homeTenant().equals(user.actingTenant())) {
            throw ProblemException.notFound();
        }
    }

    /** Whether the caller manages instruments anywhere in the acting tenant (may create, filter by private). */
    public boolean mayManageSomething(AuthenticatedUser user) {
        return !ManagedInstruments.of(user).none();
    }

    /** Whether the caller sees this record: any member sees what is not private, a manager also its private ones. */
    public boolean sees(AuthenticatedUser user, Instrument i) {
        return !"private".equals(i.sharingScope()) || mayManage(user, i);
    }

    /** Whether the caller may change this instrument. */
    public boolean mayManage(AuthenticatedUser user, Instrument i) {
        return mayManage(user, i.id(), i.orgUnitId());
    }

    private boolean mayManage(AuthenticatedUser user, UUID id, @Nullable UUID orgUnitId) {
        TenantId tenant = user.actingTenant();
        Scope scope = orgUnitId == null ? Scope.instrument(tenant, id)
                : Scope.instrument(tenant, id, units.chain(tenant, orgUnitId).toArray(UUID[]::new));
        return access.allows(user.roles(), Action.MANAGE_INSTRUMENT, scope);
    }

    /**
     * The likely duplicates ({@link LikelyDuplicates}) of the given records of the acting tenant, for a caller
     * who manages instruments (empty for anyone else), without the private records the caller does not manage.
     */
    public Map<UUID, List<LikelyDuplicates.Duplicate>> likelyDuplicates(AuthenticatedUser user, Collection<UUID> ids) {
        Map<UUID, List<LikelyDuplicates.Duplicate>> out = new LinkedHashMap<>();
        if (!mayManageSomething(user)) {
            return out;
        }
        duplicates.of(user.actingTenant(), ids).forEach((id, found) -> {
            List<LikelyDuplicates.Duplicate> seen = found.stream().filter(d -> !"private".equals(d.sharingScope())
                    || mayManage(user, d.id(), d.orgUnitId())).toList();
            if (!seen.isEmpty()) {
                out.put(id, seen);
            }
        });
        return out;
    }

    /** Whether the caller may put an instrument into {@code orgUnitId} (null: the tenant as a whole). */
    public boolean mayManageIn(AuthenticatedUser user, @Nullable UUID orgUnitId) {
        Scope scope = orgUnitId == null ? Scope.tenant(user.actingTenant())
                : units.scopeOf(user.actingTenant(), orgUnitId);
        return access.allows(user.roles(), Action.MANAGE_INSTRUMENT, scope);
    }

    /** Creating an instrument in {@code orgUnitId}: 403 unless {@link #mayManageIn}. */
    public void requireMayCreateIn(AuthenticatedUser user, @Nullable UUID orgUnitId) {
        if (!mayManageIn(user, orgUnitId)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
    }

    /** Moving {@code current} to {@code newUnit}: 403 when the caller may not manage instruments there. */
    public void requireMayMove(AuthenticatedUser user, Instrument current, @Nullable UUID newUnit) {
        if (newUnit != null && !newUnit.equals(current.orgUnitId()) && !mayManageIn(user, newUnit)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
    }

    /** An instrument the caller may read: 404 when absent, or private and not theirs to manage. */
    public Instrument readable(AuthenticatedUser user, UUID id) {
        requireMember(user);
        Instrument found = service.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        if (!sees(user, found)) {
            throw ProblemException.notFound();
        }
        return found;
    }

    /** An instrument the caller may change: 404 when absent (or private and not theirs), 403 otherwise. */
    public Instrument managed(AuthenticatedUser user, UUID id) {
        requireMember(user);
        Instrument found = service.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        if (!mayManage(user, found)) {
            if ("private".equals(found.sharingScope())) {
                throw ProblemException.notFound();
            }
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return found;
    }

    /**
     * The list query the API, the pages and the export share, with the rule of {@link #readable}:
     * private records only of the instruments the caller manages ({@link ManagedInstruments}, applied
     * in SQL, so totals and pages agree), asking for private records without managing any is 403;
     * archived ones only for managers who ask.
     */
    public InstrumentQuery query(AuthenticatedUser user, InstrumentFilter filter, int offset, int limit) {
        requireMember(user);
        ManagedInstruments managed = ManagedInstruments.of(user);
        boolean manager = !managed.none();
        if (!manager && "private".equals(filter.scope())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        String sort = filter.sortOrDefault();
        boolean descending = sort.startsWith("-");
        return new InstrumentQuery(filter.q(), filter.status(), filter.scope(), filter.classification(),
                filter.orgUnitId(), filter.minValueFen(), filter.maxValueFen(), filter.requiresIot(), filter.stale(),
                filter.flag(), null, managed, filter.archivedToo() && manager, descending ? sort.substring(1) : sort,
                descending, offset, limit);
    }

    /** The audit actor for a caller. */
    public static AuditEntry.Actor actor(AuthenticatedUser user) {
        return new AuditEntry.Actor(user.issuer(), user.subject(), user.actingTenant().toString());
    }
}
