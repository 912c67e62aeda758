package org.labcommons.core.billing.subsidies;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;

/**
 * Who may do what with subsidies and vouchers (the same rules for the API and the pages):
 * <ul>
 *   <li>the open-testing fund's periods: finance staff and institution admins of the acting tenant
 *       ({@link Action#SETTLE_ACCOUNTS} on the tenant); others 403; another tenant's period is not found;</li>
 *   <li>vouchers (enterprises, batches, issuing, claims): the bureau, {@link Action#ISSUE_VOUCHERS} on the acting
 *       tenant, which must be a consortium ({@code tenant.kind = 'consortium'}); others 403.</li>
 * </ul>
 */
@Singleton
public record SubsidyAccess(AccessPolicy access, VoucherRows rows) {

    public boolean mayManageFunds(AuthenticatedUser user) {
        return access.allows(user.roles(), Action.SETTLE_ACCOUNTS, Scope.tenant(user.actingTenant()));
    }

    public TenantId funds(AuthenticatedUser user) {
        if (!mayManageFunds(user)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return user.actingTenant();
    }

    public boolean mayIssue(AuthenticatedUser user) {
        return access.allows(user.roles(), Action.ISSUE_VOUCHERS, Scope.tenant(user.actingTenant()))
                && rows.kindOf(user.actingTenant().value()).map("consortium"::equals).orElse(false);
    }

    public TenantId bureau(AuthenticatedUser user) {
        if (!mayIssue(user)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return user.actingTenant();
    }
}
