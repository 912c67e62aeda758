package org.labcommons.federation;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.catalog.RateGroupPolicy;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;

import java.util.Set;
import java.util.function.Function;

/**
 * The consortium's rule for which rate group applies when someone uses another institution's
 * instrument (DOMAIN.md, "Money": internal and external rates differ):
 * <ul>
 *   <li>the owner's own people (home or acting tenant is the owner) pay the {@code internal} rate;</li>
 *   <li>members of any active institution of the consortium pay the {@code consortium} rate;</li>
 *   <li>everyone else, visitors included, sees the {@code external} rate.</li>
 * </ul>
 * Booking asks {@link #forBooking}: the same groups, by the requester's home tenant, and
 * {@code consortium} only where the instrument publishes a consortium machine-time price.
 * Not role-gated: search and booking ask it in whatever process they run.
 */
@Singleton
public record ConsortiumRateGroups(TenantDirectory directory) implements RateGroupPolicy {
    @Override
    public Function<TenantId, String> forRequester(@Nullable AuthenticatedUser requester) {
        if (requester == null) {
            return owner -> EXTERNAL;
        }
        String outside = directory.activeProfile(requester.homeTenant().toString()).isPresent() ? CONSORTIUM : EXTERNAL;
        return owner -> owner.equals(requester.homeTenant()) || owner.equals(requester.actingTenant()) ? INTERNAL : outside;
    }

    /**
     * Booking: decided by the requester's home tenant only (an outside user acts in the owner's
     * tenant, which must not make them internal). The owner's people: {@code internal}; members
     * of an active institution: {@code consortium} when the instrument publishes a consortium
     * machine-time price, else {@code external}; anyone else (a suspended home) {@code external}.
     */
    @Override
    public String forBooking(TenantId owner, TenantId requesterHome, Set<String> published) {
        if (owner.equals(requesterHome)) {
            return INTERNAL;
        }
        boolean member = directory.activeProfile(requesterHome.toString()).isPresent();
        return member && published.contains(CONSORTIUM) ? CONSORTIUM : EXTERNAL;
    }
}
