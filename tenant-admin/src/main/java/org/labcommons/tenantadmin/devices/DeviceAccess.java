package org.labcommons.tenantadmin.devices;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.AccessPolicy;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.security.Scope;

/**
 * Who may provision devices: an institution admin of the acting tenant ({@link Action#MANAGE_ORGANISATION}
 * tenant-wide). The tenant is always the caller's acting tenant, never a parameter.
 */
@Singleton
public record DeviceAccess(AccessPolicy access) {

    /** Whether {@code user} may manage the devices of their acting tenant. */
    public boolean allows(AuthenticatedUser user) {
        return access.allows(user.roles(), Action.MANAGE_ORGANISATION, Scope.tenant(user.actingTenant()));
    }

    /** {@code user} when they may manage devices; otherwise 403 {@code forbidden}. */
    public AuthenticatedUser require(AuthenticatedUser user) {
        if (!allows(user)) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "forbidden");
        }
        return user;
    }

    /** The caller as the audit log names them. */
    public static AuditEntry.Actor actor(AuthenticatedUser user) {
        return new AuditEntry.Actor(user.issuer(), user.subject(), user.actingTenant().toString());
    }
}
