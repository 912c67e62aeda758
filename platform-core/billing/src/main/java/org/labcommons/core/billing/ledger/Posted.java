package org.labcommons.core.billing.ledger;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

/**
 * A transaction in the journal: its id, key, period and time; {@code replayed} when the key had been posted before
 * (then this is that first transaction, and nothing was added).
 */
@Serdeable
public record Posted(UUID transactionId, String idempotencyKey, YearMonth period, Instant postedAt, boolean replayed) {
}
