package org.labcommons.core.billing.closing;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One reason a month cannot be closed yet: a stable {@code code} ({@code no_finance_code}, {@code grant_closed},
 * {@code grant_expired}, {@code unknown_account}, or a {@link CloseBlockers} bean's own, such as
 * {@code charges_pending}), what it is about ({@code reference}: a ledger code, a charge id), and a detail for people.
 * The page shows the text {@code closing.blocker.<code>} when the bundle has it, else the detail.
 */
@Serdeable
public record Blocker(String code, String reference, @Nullable String detail) {
}
