package org.labcommons.core.billing.payers;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;

import java.util.UUID;

/**
 * Who may do what with payer accounts (the same rules for the API and the pages):
 * <ul>
 *   <li>finance staff and institution admins ({@link Action#SETTLE_ACCOUNTS} on the acting tenant): everything
 *       (list, create, edit, members, deposits and top-ups, the arrears policy);</li>
 *   <li>an account's PI ({@code pi_user_id}: data, not a role): read it and its members, approve and revoke members;
 *       finance approves members of an account without a PI;</li>
 *   <li>any member of the tenant: their own accounts ({@code mine}) and a request to join one by its code.</li>
 * </ul>
 * Another tenant's caller gets 404 for every account; a member of the tenant who is neither 403.
 */
@Singleton
public record PayerAccess(CatalogueAccess catalogue, AccessPolicy access, Payers payers) {

    public boolean isFinance(AuthenticatedUser user) {
        return access.allows(user.roles(), Action.SETTLE_ACCOUNTS, Scope.tenant(user.actingTenant()));
    }

    /** Finance staff, or 403 (404 for another tenant's caller). */
    public void requireFinance(AuthenticatedUser user) {
        catalogue.requireMember(user);
        if (!isFinance(user)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
    }

    /** A member of the acting tenant (404 for another tenant's caller). */
    public void requireMember(AuthenticatedUser user) {
        catalogue.requireMember(user);
        if (user.roles().isEmpty() && !user.homeTenant().equals(user.actingTenant())) {
            throw ProblemException.notFound();
        }
    }

    /** An account finance or its PI may read: 404 when the tenant has none (or the caller is another tenant's), 403 otherwise. */
    public PayerAccount readable(AuthenticatedUser user, UUID id) {
        catalogue.requireMember(user);
        PayerAccount a = payers.byId(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        if (!isFinance(user) && !user.userId().equals(a.piUserId())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return a;
    }

    /** An account finance may change. */
    public PayerAccount managed(AuthenticatedUser user, UUID id) {
        catalogue.requireMember(user);
        PayerAccount a = payers.byId(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        if (!isFinance(user)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return a;
    }

    /** An account whose members the caller decides on: its PI, or finance when it has no PI. */
    public PayerAccount approving(AuthenticatedUser user, UUID id) {
        PayerAccount a = readable(user, id);
        boolean pi = user.userId().equals(a.piUserId());
        if (!pi && !(a.piUserId() == null && isFinance(user))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "not_pi");
        }
        return a;
    }
}
