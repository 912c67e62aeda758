package org.labcommons.core.security;

import io.micronaut.serde.annotation.Serdeable;
import org.labcommons.core.tenancy.TenantId;

import java.util.List;
import java.util.UUID;

/**
 * The caller of an API request, as {@link BearerTokenFilter} established it: the user account
 * (keyed by issuer and subject), the tenant whose issuer vouched for it, the tenant it acts in,
 * and its role assignments in the acting tenant. Controllers read it from the request attribute
 * {@link #ATTRIBUTE}.
 */
@Serdeable
public record AuthenticatedUser(UUID userId, String issuer, String subject, TenantId homeTenant,
                                TenantId actingTenant, List<RoleAssignment> roles) {
    /** The request attribute holding the caller. */
    public static final String ATTRIBUTE = "labcommons.user";

    public AuthenticatedUser {
        roles = List.copyOf(roles);
    }
}
