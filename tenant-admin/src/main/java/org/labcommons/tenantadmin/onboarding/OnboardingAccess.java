package org.labcommons.tenantadmin.onboarding;

import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;
import org.labcommons.core.tenancy.TenantId;

import java.sql.Connection;

/**
 * Who may use the onboarding endpoints: a caller acting in a network (or the consortium) who may
 * {@link Action#ONBOARD_TENANTS} there (network or consortium admin). Anyone else is 403.
 */
@Singleton
public record OnboardingAccess(AccessPolicy access,
                               TransactionOperations<Connection> transactions,
                               TenantRegistryRows registry) {
    /** The acting network and the caller as the audit log names it. */
    public record NetworkCaller(AuthenticatedUser user, TenantId network, AuditEntry.Actor actor) {
    }

    public NetworkCaller require(AuthenticatedUser user) {
        TenantId acting = user.actingTenant();
        if (!access.allows(user.roles(), Action.ONBOARD_TENANTS, Scope.tenant(acting))) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        boolean network = transactions.executeRead(s -> registry.findById(acting.value()))
                .map(TenantRegistryRows::isNetwork).orElse(false);
        if (!network) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return new NetworkCaller(user, acting, new AuditEntry.Actor(user.issuer(), user.subject(), acting.toString()));
    }
}
