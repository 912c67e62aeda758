package org.labcommons.core.billing.payers;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A payer account (V41 {@code payer_account}): a research project or department account (internal) or an external
 * customer; {@code code} is the account code bookings and sample requests carry; {@code settlement} is
 * {@code monthly} (internal post-paid), {@code single} (one statement per charge, internal or external) or
 * {@code prepaid} (an external customer's deposit). Money in fen; {@code budgetFen} null: no budget.
 */
@Introspected
@Serdeable
public record PayerAccount(UUID id, String kind, String code, String nameZh, String nameEn, @Nullable String grantCode,
                           @Nullable String financeCode, @Nullable UUID piUserId, @Nullable UUID orgUnitId,
                           @Nullable Long budgetFen, @Nullable LocalDate validFrom, @Nullable LocalDate validTo,
                           String status, String settlement, @Nullable String organisation, @Nullable String contactName,
                           @Nullable String contactPhone, @Nullable String contactEmail, @Nullable String taxId,
                           Instant createdAt, Instant updatedAt, long version) {

    /** Whether charges to it are internal (project and department accounts). */
    public boolean internal() {
        return !"customer".equals(kind);
    }

    /** The ledger account its charges debit: the deposit of a prepaid account, else its receivable. */
    public String ledgerCode() {
        return "prepaid".equals(settlement) ? Payers.depositCode(id) : Payers.receivableCode(id);
    }

    /** Whether it is valid on {@code day} (inclusive bounds; none: always). */
    public boolean validOn(LocalDate day) {
        return (validFrom == null || !day.isBefore(validFrom)) && (validTo == null || !day.isAfter(validTo));
    }
}
