package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * What a PUT of booking rules may carry. Every field is optional: a missing one takes the default
 * ({@link BookingRules#defaults}). {@code version}, when given, must be the stored version.
 */
@Serdeable
public record BookingRulesInput(@Nullable Long version,
                                @Nullable Map<String, List<BookingRules.Interval>> weeklyHours,
                                @Nullable List<BookingRules.Closure> closures,
                                @Nullable Integer minSlotMinutes, @Nullable Integer maxSlotMinutes,
                                @Nullable Integer horizonDays, @Nullable Integer minNoticeMinutes,
                                @Nullable Integer bufferMinutes, @Nullable Integer maxFutureBookings,
                                @Nullable List<String> allowedRateGroups, @Nullable String approvalPolicy,
                                @Nullable Integer cancellationDeadlineHours, @Nullable Integer noShowThreshold,
                                @Nullable Integer noShowBlockDays, @Nullable Boolean qualificationRequired,
                                @Nullable Integer authorisationExpiryDays, @Nullable Integer waitlistOfferMinutes) {
}
