package org.labcommons.core.billing.interinst;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;

import java.util.List;
import java.util.Map;

/**
 * Who may do what between institutions: the consortium admin ({@link Action#OPERATE_PLATFORM} in the consortium tenant,
 * acting there) starts netting runs and sees every pair; an institution's finance office ({@link Action#SETTLE_ACCOUNTS}
 * on its tenant; institution admins inherit it) sees and confirms its own pairs, reads its payables and runs its
 * disbursement. Everyone else is 403 {@code forbidden}.
 */
@Singleton
public record InterinstAccess(AccessPolicy policy, Netting netting) {

    public boolean operator(AuthenticatedUser user) {
        return policy.allows(user.roles(), Action.OPERATE_PLATFORM, Scope.tenant(user.actingTenant()))
                && netting.consortiumOf(user.actingTenant()).equals(user.actingTenant());
    }

    public boolean finance(AuthenticatedUser user) {
        return policy.allows(user.roles(), Action.SETTLE_ACCOUNTS, Scope.tenant(user.actingTenant()));
    }

    /** The consortium admin or an institution's finance office, as a netting viewer. */
    public Netting.Viewer viewer(AuthenticatedUser user) {
        if (finance(user)) {
            return new Netting.Viewer(netting.consortiumOf(user.actingTenant()), user.actingTenant().value());
        }
        if (operator(user)) {
            return new Netting.Viewer(user.actingTenant(), null);
        }
        throw forbidden();
    }

    public TenantId requireOperator(AuthenticatedUser user) {
        if (!operator(user)) {
            throw forbidden();
        }
        return user.actingTenant();
    }

    public TenantId requireFinance(AuthenticatedUser user) {
        if (!finance(user)) {
            throw forbidden();
        }
        return user.actingTenant();
    }

    public static AuditEntry.Actor actor(AuthenticatedUser user) {
        return new AuditEntry.Actor(user.issuer(), user.subject(), user.actingTenant().toString());
    }

    static ProblemException forbidden() {
        return new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
    }

    /** 400 with a field error for each bad paging parameter. */
    static void paging(int page, int size) {
        List<ProblemException.FieldProblem> problems = new java.util.ArrayList<>();
        if (page < 0 || page > 100_000) {
            problems.add(new ProblemException.FieldProblem("page", "min", "validation.min", Map.of("value", 0)));
        }
        if (size < 1 || size > 200) {
            problems.add(new ProblemException.FieldProblem("size", "range", "validation.size", Map.of("min", 1, "max", 200)));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }
}
