package org.labcommons.iot.interlock;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The interlock's local view of {@code access.grants.v1}: what the bridge decides access requests from, in memory,
 * with no PostgreSQL on the hot path (ISSUE 16; docs/iot-protocol.md §9).
 */
public interface InterlockView {

    /** The instrument's grants, when the view holds them. */
    Optional<InstrumentGrants> instrument(UUID tenantId, UUID instrumentId);

    /** Every instrument the view holds. */
    Collection<InstrumentGrants> instruments();

    /** The person a credential ({@code card} or {@code login}, value normalised) belongs to in a tenant. */
    Optional<UUID> userOf(UUID tenantId, String credentialKind, String value);

    /** Whether the tenant is active (true when the view has no record of it). */
    boolean tenantActive(UUID tenantId);

    /**
     * The credential values ({@code card} and {@code login}, normalised as devices send them) of a person in a tenant:
     * {@link #userOf} reversed, for the offline grant cache ({@code GrantCache}). The default knows none (a view that
     * does not keep them gives devices caches without entries, which then fall back to their fail mode).
     */
    default List<String> credentialsOf(UUID tenantId, UUID userId) {
        return List.of();
    }
}
