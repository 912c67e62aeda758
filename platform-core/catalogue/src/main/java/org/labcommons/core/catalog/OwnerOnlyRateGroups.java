package org.labcommons.core.catalog;

import io.micronaut.context.annotation.Secondary;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;

import java.util.Set;
import java.util.function.Function;

/**
 * The fallback {@link RateGroupPolicy} when no consortium rule is deployed (a process without the
 * {@code federation} module, e.g. platform-core's own tests): the owner's people pay
 * {@code internal}, everyone else {@code external}. The federation module's
 * {@code ConsortiumRateGroups} replaces it wherever it is on the classpath.
 */
@Secondary
@Singleton
public class OwnerOnlyRateGroups implements RateGroupPolicy {
    @Override
    public Function<TenantId, String> forRequester(@Nullable AuthenticatedUser requester) {
        return owner -> requester != null && (owner.equals(requester.homeTenant()) || owner.equals(requester.actingTenant()))
                ? INTERNAL : EXTERNAL;
    }

    @Override
    public String forBooking(TenantId owner, TenantId requesterHome, Set<String> published) {
        return owner.equals(requesterHome) ? INTERNAL : EXTERNAL;
    }
}
