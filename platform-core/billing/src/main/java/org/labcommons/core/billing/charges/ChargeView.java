package org.labcommons.core.billing.charges;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A charge as the API and the pages show it: its facts, whether it was rated without a filed card ({@code unrated}),
 * what the ledger holds of it ({@code postedFen}) and who pays; one charge also with its items, shares and disputes.
 */
@Serdeable
public record ChargeView(UUID id, String sourceType, UUID sourceId, String kind, UUID instrumentId,
                         @Nullable UUID serviceId, @Nullable UUID orgUnitId, UUID userId, UUID requesterTenantId,
                         @Nullable String accountCode, String rateGroup, @Nullable UUID feeStandardId,
                         int feeStandardVersion, boolean unrated, Instant serviceStart, @Nullable Instant serviceEnd,
                         BigDecimal quantity, String unit, long amountFen, long postedFen, @Nullable String payerKind,
                         @Nullable String payerLedgerCode, String status, Instant createdAt, long version,
                         @Nullable List<ChargeRows.ItemRow> items, @Nullable List<ChargeRows.ShareRow> shares,
                         @Nullable List<ChargeRows.DisputeRow> disputes) {

    static ChargeView of(ChargeRows.Stored s, @Nullable List<ChargeRows.ItemRow> items,
                         @Nullable List<ChargeRows.ShareRow> shares, @Nullable List<ChargeRows.DisputeRow> disputes) {
        return new ChargeView(s.id(), s.sourceType(), s.sourceId(), s.kind(), s.instrumentId(), s.serviceId(),
                s.orgUnitId(), s.userId(), s.userHomeTenantId(), s.accountCode(), s.rateGroup(), s.feeStandardId(),
                s.feeStandardVersion(), s.unrated(), s.serviceStart(), s.serviceEnd(), s.quantity(), s.unit(),
                s.amountFen(), s.postedFen(), s.payerKind(), s.payerLedgerCode(), s.status(), s.createdAt(), s.version(),
                items, shares, disputes);
    }

    /** A page of charges. */
    @Serdeable
    public record Page(List<ChargeView> items, long total, int page, int size) {
    }

    /** The filters of a list (each null: any); {@code period} is a month {@code YYYY-MM} in the tenant's zone. */
    @Serdeable
    public record Filter(@Nullable String status, @Nullable UUID instrumentId, @Nullable UUID userId,
                         @Nullable String accountCode, @Nullable String period, @Nullable Boolean unrated) {
    }

    /** What one charge of a bulk approval came to: {@code approved}, or the problem's code. */
    @Serdeable
    public record Outcome(UUID id, String result) {
    }
}
