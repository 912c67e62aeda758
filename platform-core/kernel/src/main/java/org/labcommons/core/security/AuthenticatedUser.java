package org.labcommons.core.security;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.micronaut.serde.annotation.Serdeable;
import org.labcommons.core.tenancy.TenantId;

import java.security.Principal;
import java.util.List;
import java.util.UUID;

/**
 * The caller of an API request, as {@link BearerTokenFilter} established it: the user account
 * (keyed by issuer and subject), the tenant whose issuer vouched for it, the tenant it acts in,
 * and its role assignments in the acting tenant. {@link BearerTokenFilter} (and, for pages,
 * {@code WebCaller}) keeps it in the request attribute {@link #ATTRIBUTE}; a controller method
 * receives it as a parameter of this type ({@code org.labcommons.core.web.CallerBinder}).
 */
@Serdeable
public record AuthenticatedUser(UUID userId, String issuer, String subject, TenantId homeTenant,
                                TenantId actingTenant, List<RoleAssignment> roles) implements Principal {
    /** The request attribute holding the caller. */
    public static final String ATTRIBUTE = "labcommons.user";

    public AuthenticatedUser {
        roles = List.copyOf(roles);
    }

    /** The user account's id (a {@link Principal}: the API document leaves such a parameter out). */
    @Override
    @JsonIgnore
    public String getName() {
        return userId.toString();
    }
}
