package org.labcommons.core.catalog;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;

/**
 * Which of an owner's rate groups applies to a requester (a port: the consortium's rule lives in
 * the {@code federation} module, which owns everything that crosses a tenant boundary). Search
 * shows the price of that group on every hit; booking will charge it.
 */
public interface RateGroupPolicy {
    String INTERNAL = "internal";
    String CONSORTIUM = "consortium";
    String EXTERNAL = "external";

    /** The rate group code of {@code owner} that applies to {@code requester} (null: a visitor). */
    default String rateGroupFor(TenantId owner, @Nullable AuthenticatedUser requester) {
        return forRequester(requester).apply(owner);
    }

    /**
     * The rule for one requester, resolved once (a search applies it to every hit without asking
     * the registry again): owner tenant → rate group code.
     */
    java.util.function.Function<TenantId, String> forRequester(@Nullable AuthenticatedUser requester);

    /**
     * The rate group a machine-time booking of {@code owner}'s instrument is charged at when the
     * requester's home tenant (the issuer's tenant, not the tenant they act in) is
     * {@code requesterHome}. {@code published} are the rate groups the instrument publishes a
     * machine-time price for. Staff may still set another group on the booking.
     */
    String forBooking(TenantId owner, TenantId requesterHome, java.util.Set<String> published);
}
