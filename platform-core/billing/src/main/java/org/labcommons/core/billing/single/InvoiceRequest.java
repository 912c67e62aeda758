package org.labcommons.core.billing.single;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An invoice request of single settlement (V45 {@code invoice_request}): for one charge posted to an account that
 * settles singly, whom the invoice is for (organisation, tax id), the amount (fen: what the account owes for the
 * charge) and its items; {@code requested} → {@code issued} (with the invoice number) or {@code cancelled}.
 */
@Serdeable
public record InvoiceRequest(UUID id, UUID payerId, UUID chargeId, String organisation, @Nullable String taxId,
                             long amountFen, List<Item> items, String status, @Nullable String invoiceNumber,
                             @Nullable String note, @Nullable UUID requestedBy, Instant requestedAt,
                             @Nullable UUID issuedBy, @Nullable Instant issuedAt, @Nullable UUID cancelledBy,
                             @Nullable Instant cancelledAt, @Nullable String cancelReason, long version) {
    /** The states of a request. */
    public static final java.util.Set<String> STATUSES = java.util.Set.of("requested", "issued", "cancelled");

    /**
     * One line of the invoice: the service (quantity and unit as charged) at what it was posted, and each part paid
     * by someone else (the fund, a voucher) as a negative line; the lines sum to {@code amountFen}.
     */
    @Serdeable
    public record Item(String descriptionZh, String descriptionEn, @Nullable BigDecimal quantity, @Nullable String unit,
                       long amountFen) {
    }

    /** Finance asks for an invoice: organisation and tax id default to the account's. */
    @Serdeable
    public record Input(@Nullable String organisation, @Nullable String taxId, @Nullable String note) {
    }

    /** The invoice was issued: its number. */
    @Serdeable
    public record IssueInput(@Nullable String invoiceNumber) {
    }

    /** The request is cancelled: why. */
    @Serdeable
    public record CancelInput(@Nullable String reason) {
    }

    /** A page of requests, newest first. */
    @Serdeable
    public record Page(List<InvoiceRequest> items, long total, int page, int size) {
    }

    /** A page of an account's posted charges with what it owes for each and its live request. */
    @Serdeable
    public record ChargePage(UUID payerId, List<SingleRows.PostedCharge> items, long total, int page, int size) {
    }
}
