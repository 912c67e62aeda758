package org.labcommons.core.reports.facts;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.InstrumentService;
import org.labcommons.core.directory.TenantRows;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;

import java.util.Set;
import java.util.UUID;

/**
 * Who reads which facts:
 * <ul>
 *   <li>an institution's own rollups, down to instrument and user class: {@link Action#READ_AGGREGATE_REPORTS} on the
 *       acting tenant (institution admins, finance), which must be an institution; an instrument of another tenant is
 *       not found, exactly like one that does not exist;</li>
 *   <li>the member institutions' aggregates: {@link Action#READ_AGGREGATE_REPORTS} in a network or consortium tenant
 *       (network admins; consortium admins inherit it), never an instrument's or a person's row;</li>
 * </ul>
 * anyone else 403 {@code forbidden}.
 */
@Singleton
public record FactsAccess(AccessPolicy access, TenantRows tenants, InstrumentService instruments) {
    private static final Set<String> BUREAU = Set.of("network", "consortium");

    /** The acting institution, whose rollups the caller may read in full. */
    public TenantId institution(AuthenticatedUser user) {
        if (!reads(user) || !"institution".equals(kind(user.actingTenant()))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return user.actingTenant();
    }

    /** The acting institution, when {@code instrument} is one of its instruments (else 404). */
    public TenantId instrument(AuthenticatedUser user, UUID instrument) {
        TenantId tenant = institution(user);
        if (instruments.find(tenant, instrument).isEmpty()) {
            throw ProblemException.notFound();
        }
        return tenant;
    }

    /** The acting network or consortium, whose members' aggregates the caller may read. */
    public TenantId bureau(AuthenticatedUser user) {
        if (!reads(user) || !BUREAU.contains(kind(user.actingTenant()))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return user.actingTenant();
    }

    private boolean reads(AuthenticatedUser user) {
        return access.allows(user.roles(), Action.READ_AGGREGATE_REPORTS, Scope.tenant(user.actingTenant()));
    }

    private String kind(TenantId tenant) {
        return tenants.findById(tenant.value()).map(TenantRows.Row::kind).orElse("");
    }
}
