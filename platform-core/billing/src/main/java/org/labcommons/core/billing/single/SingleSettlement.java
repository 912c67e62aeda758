package org.labcommons.core.billing.single;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.billing.closing.StatementDocuments;
import org.labcommons.core.billing.payers.AccountEvents;
import org.labcommons.core.billing.payers.PayerAccount;
import org.labcommons.core.billing.payers.Payers;
import org.labcommons.core.billing.subsidies.TaxIds;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Single settlement (internal single and external single settlement; docs/billing.md "Single settlement"): for an
 * account whose {@code settlement} is {@code single}, each posted charge can be settled on its own.
 * <ul>
 *   <li>{@link #charges}: the charges posted to the account with what it owes for each (its entries on the account's
 *       ledger code, after the fund's and a voucher's parts) and the charge's live invoice request;</li>
 *   <li>{@link #statement}: the statement of one charge (the month close's PDF writer, or xlsx): its entries on the
 *       account, opening 0, closing what is owed;</li>
 *   <li>{@link #request}, {@link #issue}, {@link #cancel}: the invoice request, {@code requested → issued} (with the
 *       invoice number) or {@code cancelled} (also after issue, with a reason); at most one live request per charge
 *       ({@code invoice_already_requested}). Each change is audited ({@code invoice_request.*}) and emitted on
 *       {@code billing.account.v1} ({@code invoice.requested}, {@code invoice.issued}, {@code invoice.cancelled})
 *       in its transaction.</li>
 * </ul>
 * Who may call is the caller's ({@code PayerAccess}: finance for changes, finance or the PI to read).
 */
@Singleton
public record SingleSettlement(TenantTransactions tenants, SingleRows rows, AuditLog audit, AccountEvents events,
                               StatementDocuments documents, BookingClock clock, JsonMapper json) {
    static final Pattern INVOICE_NUMBER = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9-]{0,63}$");
    private static final Argument<List<InvoiceRequest.Item>> ITEMS = Argument.listOf(InvoiceRequest.Item.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** The ledger code an account's charges debit (single accounts are never prepaid: their receivable). */
    static String code(PayerAccount a) {
        return Payers.receivableCode(a.id());
    }

    /** 409 {@code not_single_settlement} unless the account settles singly. */
    static void requireSingle(PayerAccount a) {
        if (!"single".equals(a.settlement())) {
            throw new ProblemException(HttpStatus.CONFLICT, "not_single_settlement", a.code());
        }
    }

    public InvoiceRequest.ChargePage charges(TenantId tenant, PayerAccount a, int page, int size) {
        requireSingle(a);
        return tenants.inTenant(tenant, c -> new InvoiceRequest.ChargePage(a.id(),
                rows.charges(code(a), size, (long) page * size), rows.countCharges(code(a)), page, size));
    }

    /** A charge's statement: PDF ({@code pdf}) or xlsx; 404 when the charge was not posted to the account. */
    public byte[] statement(TenantId tenant, PayerAccount a, UUID chargeId, boolean pdf) {
        requireSingle(a);
        record Facts(SingleRows.PostedCharge charge, List<org.labcommons.core.billing.ledger.Entry> entries, ZoneId zone) {
        }
        Facts f = tenants.inTenant(tenant, c -> {
            SingleRows.PostedCharge ch = rows.charge(code(a), chargeId).orElseThrow(ProblemException::notFound);
            return new Facts(ch, rows.entries(code(a), chargeId), ZoneId.of(rows.zone().orElse("Asia/Shanghai")));
        });
        String label = "单笔结算 Single settlement " + DAY.format(f.charge().serviceStart().atZone(f.zone()));
        return documents.single(label, code(a), a.kind(), a.nameZh(), a.nameEn(), a.financeCode(), a.grantCode(),
                f.entries(), f.zone(), pdf);
    }

    /** Finance asks for the invoice of a posted charge. */
    public InvoiceRequest request(TenantId tenant, AuditEntry.Actor actor, UUID by, PayerAccount a, UUID chargeId,
                                  InvoiceRequest.Input in) {
        requireSingle(a);
        String organisation = clean(in.organisation()) != null ? clean(in.organisation())
                : a.organisation() != null ? a.organisation() : a.nameZh();
        String taxId = clean(in.taxId()) != null ? TaxIds.normal(clean(in.taxId())) : a.taxId();
        List<FieldProblem> problems = new ArrayList<>();
        if (organisation.length() > 200) {
            problems.add(new FieldProblem("organisation", "size", "validation.size", Map.of("min", 1, "max", 200)));
        }
        if (taxId != null && !TaxIds.valid(taxId)) {
            problems.add(new FieldProblem("taxId", "format", "single.validation.tax_id", Map.of()));
        }
        if (in.note() != null && in.note().length() > 1000) {
            problems.add(new FieldProblem("note", "size", "validation.size", Map.of("min", 0, "max", 1000)));
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            SingleRows.PostedCharge ch = rows.charge(code(a), chargeId).orElseThrow(ProblemException::notFound);
            if (ch.payerFen() <= 0) {
                throw new ProblemException(HttpStatus.CONFLICT, "nothing_to_invoice");
            }
            List<InvoiceRequest.Item> items = items(ch, rows.shares(chargeId));
            UUID id = UUID.randomUUID();
            if (rows.insert(id, a.id(), chargeId, organisation, taxId, ch.payerFen(), write(items), clean(in.note()), by, now) == 0) {
                throw new ProblemException(HttpStatus.CONFLICT, "invoice_already_requested", ch.requestId());
            }
            SingleRows.Stored s = rows.find(id).orElseThrow();
            changed(c, tenant, actor, "requested", s, Map.of("amountFen", s.amountFen(), "organisation", organisation));
            return view(s);
        });
    }

    /** The invoice was issued with {@code invoiceNumber}: {@code requested → issued}; 409 {@code invoice_request_state} otherwise. */
    public InvoiceRequest issue(TenantId tenant, AuditEntry.Actor actor, UUID by, PayerAccount a, UUID requestId,
                                InvoiceRequest.IssueInput in) {
        String number = clean(in.invoiceNumber());
        if (number == null || !INVOICE_NUMBER.matcher(number).matches()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                    new FieldProblem("invoiceNumber", "format", "single.validation.invoice_number", Map.of())));
        }
        return tenants.inTenant(tenant, c -> {
            SingleRows.Stored before = owned(a, requestId);
            if (rows.issue(requestId, number, by, clock.now()) == 0) {
                throw new ProblemException(HttpStatus.CONFLICT, "invoice_request_state", before.status());
            }
            SingleRows.Stored s = rows.find(requestId).orElseThrow();
            changed(c, tenant, actor, "issued", s, Map.of("invoiceNumber", number));
            return view(s);
        });
    }

    /** Cancels a request (requested or issued) with a reason; 409 {@code invoice_request_state} when it is cancelled already. */
    public InvoiceRequest cancel(TenantId tenant, AuditEntry.Actor actor, UUID by, PayerAccount a, UUID requestId,
                                 InvoiceRequest.CancelInput in) {
        String reason = clean(in.reason());
        if (reason == null || reason.length() > 1000) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(reason == null
                    ? new FieldProblem("reason", "not_blank", "validation.not_blank", Map.of())
                    : new FieldProblem("reason", "size", "validation.size", Map.of("min", 1, "max", 1000))));
        }
        return tenants.inTenant(tenant, c -> {
            SingleRows.Stored before = owned(a, requestId);
            if (rows.cancel(requestId, reason, by, clock.now()) == 0) {
                throw new ProblemException(HttpStatus.CONFLICT, "invoice_request_state", before.status());
            }
            SingleRows.Stored s = rows.find(requestId).orElseThrow();
            changed(c, tenant, actor, "cancelled", s, Map.of("reason", reason, "statusBefore", before.status()));
            return view(s);
        });
    }

    /** A page of requests (of one account, or all of the tenant; of one status, or all), newest first. */
    public InvoiceRequest.Page requests(TenantId tenant, @Nullable UUID payerId, @Nullable String status, int page, int size) {
        return tenants.inTenant(tenant, c -> new InvoiceRequest.Page(rows.page(payerId, status, size, (long) page * size)
                .stream().map(this::view).toList(), rows.count(payerId, status), page, size));
    }

    private SingleRows.Stored owned(PayerAccount a, UUID requestId) {
        return rows.lock(requestId).filter(s -> s.payerId().equals(a.id())).orElseThrow(ProblemException::notFound);
    }

    private void changed(java.sql.Connection c, TenantId tenant, AuditEntry.Actor actor, String what, SingleRows.Stored s,
                         Map<String, Object> more) throws java.sql.SQLException {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("payerId", s.payerId().toString());
        details.put("chargeId", s.chargeId().toString());
        details.put("status", s.status());
        details.putAll(more);
        audit.append(c, actor.entry("invoice_request." + what, "invoice_request", s.id().toString(), details));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("requestId", s.id().toString());
        p.put("chargeId", s.chargeId().toString());
        p.put("status", s.status());
        p.put("amountFen", s.amountFen());
        p.put("taxId", s.taxId());
        p.put("invoiceNumber", s.invoiceNumber());
        p.put("requestVersion", s.version());
        events.emit(c, tenant, "invoice." + what, s.payerId(), s.version(), p);
    }

    /**
     * The invoice's lines: the service at what was posted, then each share someone else paid as a negative line, and,
     * should the account's entries differ from that (a correction posted by hand), one line with the difference, so
     * the lines always sum to what the account owes.
     */
    static List<InvoiceRequest.Item> items(SingleRows.PostedCharge ch, List<SingleRows.ShareRow> shares) {
        List<InvoiceRequest.Item> items = new ArrayList<>();
        items.add(new InvoiceRequest.Item(ch.instrumentNameZh() + "（" + kindZh(ch.kind()) + "）",
                ch.instrumentNameEn() + " (" + ch.kind().replace('_', ' ') + ")", ch.quantity(), ch.unit(), ch.postedFen()));
        long sum = ch.postedFen();
        for (SingleRows.ShareRow s : shares) {
            items.add(new InvoiceRequest.Item(s.nameZh() == null ? s.kind() : s.nameZh(), s.nameEn() == null ? s.kind() : s.nameEn(),
                    null, null, -s.amountFen()));
            sum -= s.amountFen();
        }
        if (sum != ch.payerFen()) {
            items.add(new InvoiceRequest.Item("调整", "Adjustment", null, null, ch.payerFen() - sum));
        }
        return items;
    }

    private static String kindZh(String kind) {
        return switch (kind) {
            case "usage" -> "机时";
            case "sample" -> "送样";
            case "cancellation" -> "取消费";
            case "no_show" -> "爽约费";
            default -> kind;
        };
    }

    InvoiceRequest view(SingleRows.Stored s) {
        List<InvoiceRequest.Item> items;
        try {
            items = json.readValue(s.items(), ITEMS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new InvoiceRequest(s.id(), s.payerId(), s.chargeId(), s.organisation(), s.taxId(), s.amountFen(), items,
                s.status(), s.invoiceNumber(), s.note(), s.requestedBy(), s.requestedAt(), s.issuedBy(), s.issuedAt(),
                s.cancelledBy(), s.cancelledAt(), s.cancelReason(), s.version());
    }

    private String write(List<InvoiceRequest.Item> items) {
        try {
            return json.writeValueAsString(items);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static @Nullable String clean(@Nullable String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
