package org.labcommons.core.billing.charges;

import io.micronaut.core.annotation.Nullable;
import org.labcommons.core.tenancy.TenantId;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A charge as it is when posted or listed: immutable facts; its amount is the sum of its items. */
public record Charge(UUID id, TenantId tenant, String sourceType /* usage_session|usage_record|booking|sample_request */,
    UUID sourceId, String kind /* usage|sample|cancellation|no_show */, UUID instrumentId, @Nullable UUID serviceId,
    @Nullable UUID orgUnitId /* the instrument's unit */, UUID userId, TenantId userHomeTenant,
    @Nullable String accountCode /* as the booking / sample request carried it */, String rateGroup,
    @Nullable UUID feeStandardId, int feeStandardVersion, Instant serviceStart, @Nullable Instant serviceEnd,
    BigDecimal quantity /* hours (2 decimals) or samples */, String unit, long amountFen /* sum of items */,
    String status /* pending|approved|waived|disputed */, Instant createdAt, long version) {}
