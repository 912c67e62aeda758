package org.labcommons.core.billing.ledger;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/** One entry of an account's statement: the transaction it belongs to and the amount in fen (debit positive). */
@Serdeable
@Introspected
public record Entry(UUID transactionId, int line, String accountCode, long amountFen, String period, Instant postedAt,
                    String kind, @Nullable String sourceType, @Nullable String sourceId, @Nullable UUID reverses,
                    @Nullable String memo, String actor) {
}
