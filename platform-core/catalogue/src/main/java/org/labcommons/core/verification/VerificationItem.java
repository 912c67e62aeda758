package org.labcommons.core.verification;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * One instrument in a campaign: {@code pending} until an instrument admin confirms it unchanged
 * ({@code confirmed}) or saves a correction ({@code corrected}). The instrument's own freshness
 * ({@code staleSince}, {@code lastVerifiedAt}) and version come along, for the pages.
 */
@Introspected
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record VerificationItem(UUID campaignId, UUID instrumentId, String assetNumber, String nameZh, String nameEn,
                               @Nullable UUID orgUnitId, String state, @Nullable UUID confirmedBy,
                               @Nullable Instant confirmedAt, boolean archived, @Nullable Instant staleSince,
                               @Nullable Instant lastVerifiedAt, long instrumentVersion) {
    public static final String PENDING = "pending";
    public static final String CONFIRMED = "confirmed";
    public static final String CORRECTED = "corrected";
}
