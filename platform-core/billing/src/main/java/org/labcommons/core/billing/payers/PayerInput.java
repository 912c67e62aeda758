package org.labcommons.core.billing.payers;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.LocalDate;
import java.util.UUID;

/** The terms of a payer account as the API and the pages send them (checked by {@link PayerChecks}). */
@Serdeable
public record PayerInput(@Nullable String kind, @Nullable String code, @Nullable String nameZh, @Nullable String nameEn,
                         @Nullable String grantCode, @Nullable String financeCode, @Nullable UUID piUserId,
                         @Nullable UUID orgUnitId, @Nullable Long budgetFen, @Nullable LocalDate validFrom,
                         @Nullable LocalDate validTo, @Nullable String status, @Nullable String settlement,
                         @Nullable String organisation, @Nullable String contactName, @Nullable String contactPhone,
                         @Nullable String contactEmail, @Nullable String taxId) {
}
