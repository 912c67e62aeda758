package org.labcommons.core.billing.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/** An account of a tenant's chart of accounts ({@code ledger_account}); see {@link NewAccount} for the code. */
@Serdeable
public record Account(UUID id, String code, String kind, String nameZh, String nameEn, @Nullable String holderType,
                      @Nullable UUID holderId, Instant createdAt) {
}
