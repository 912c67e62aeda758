package org.labcommons.core.billing.rates;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.OrgUnits;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;

import java.util.List;
import java.util.UUID;

/**
 * Who may do what with fee standards, with the kernel's roles (the same rules for the API and the pages):
 * <ul>
 *   <li>read (list, one card): staff of the acting tenant who manage instruments or read its raw records (instrument
 *       admins and up, finance staff; {@link Action#READ_RAW_RECORDS} somewhere) or set rates; others 403, another
 *       tenant's caller 404;</li>
 *   <li>create, edit, submit a draft, withdraw it before the committee: those who manage the instrument
 *       ({@link Action#MANAGE_INSTRUMENT} on it: lab and instrument managers);</li>
 *   <li>approve for the department: {@link Action#SET_RATES} on the instrument (a platform admin held on its unit
 *       or a unit above it: the department's head; institution admins);</li>
 *   <li>approve for the institution's fee committee, file, withdraw after the department approved:
 *       {@link Action#APPROVE_FEE_STANDARDS} on the tenant (institution admins).</li>
 * </ul>
 */
@Singleton
public record FeeStandardAccess(CatalogueAccess catalogue, OrgUnits units, AccessPolicy access, FeeStandards standards) {

    /** The caller may read the tenant's fee standards: 404 for another tenant's caller, 403 for others. */
    public void requireReader(AuthenticatedUser user) {
        catalogue.requireMember(user);
        if (!mayRead(user)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
    }

    /** Whether the caller may read the tenant's fee standards. */
    public boolean mayRead(AuthenticatedUser user) {
        return access.allowsSomewhere(user.roles(), Action.READ_RAW_RECORDS)
                || access.allowsSomewhere(user.roles(), Action.SET_RATES);
    }

    /** A card the caller may read (404 when the tenant has none with that id). */
    public FeeStandard readable(AuthenticatedUser user, UUID id) {
        requireReader(user);
        return standards.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
    }

    /** An instrument whose cards the caller may draft (catalogue's rule: 404 unseen, 403 not managed). */
    public Instrument drafting(AuthenticatedUser user, UUID instrumentId) {
        return catalogue.managed(user, instrumentId);
    }

    /** Whether the caller may approve cards of the instrument for the department. */
    public boolean mayApproveDepartment(AuthenticatedUser user, UUID instrumentId, @Nullable UUID unit) {
        TenantId tenant = user.actingTenant();
        Scope scope = unit == null ? Scope.instrument(tenant, instrumentId)
                : Scope.instrument(tenant, instrumentId, units.chain(tenant, unit).toArray(UUID[]::new));
        return access.allows(user.roles(), Action.SET_RATES, scope);
    }

    /** Whether the caller may approve cards for the institution's fee committee and file them. */
    public boolean mayApproveCommittee(AuthenticatedUser user) {
        return access.allows(user.roles(), Action.APPROVE_FEE_STANDARDS, Scope.tenant(user.actingTenant()));
    }

    /**
     * A card the caller may move by {@code action} (submit, approve-department, approve-committee, file, withdraw):
     * 404 when unseen, 403 when the caller's role does not allow that step. The step's order is checked by
     * {@link FeeStandards}.
     */
    public FeeStandard forStep(AuthenticatedUser user, UUID id, String action) {
        FeeStandard card = readable(user, id);
        boolean allowed = switch (action) {
            case "submit" -> catalogue.mayManage(user, catalogue.readable(user, card.instrumentId()));
            case "approve-department" -> mayApproveDepartment(user, card.instrumentId(),
                    catalogue.readable(user, card.instrumentId()).orgUnitId());
            case "approve-committee", "file" -> mayApproveCommittee(user);
            case "withdraw" -> mayApproveCommittee(user) || (List.of("draft", "submitted").contains(card.status())
                    && catalogue.mayManage(user, catalogue.readable(user, card.instrumentId())));
            default -> false;
        };
        if (!allowed) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return card;
    }
}
