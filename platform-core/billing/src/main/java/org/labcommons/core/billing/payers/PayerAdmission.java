package org.labcommons.core.billing.payers;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.billing.rates.RateCard;
import org.labcommons.core.billing.rates.RateCards;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.ChargeAccountPort;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Billing's say on a booking or sample request charged to an account ({@link ChargeAccountPort}), in the booking's
 * transaction. No account code, or a user of another institution (charged to their institution): nothing is read.
 * Otherwise one statement ({@link PayerRows#facts}) reads the account, the user's membership and what the account
 * has overdue, and refuses on field {@code accountCode}: {@code account_unknown}, {@code account_expired} (closed, or
 * not valid on the booked day in the tenant's zone), {@code account_not_member}, {@code account_not_approved} (the PI
 * has not approved the member), {@code account_in_arrears} (owed longer than the policy's overdue days). A prepaid
 * or budgeted account then holds the estimate (the card in force for the booked time or the samples,
 * {@link RateCards}): the account's row is locked, and the hold is inserted only when the deposit less the active
 * holds (prepaid; else {@code deposit_insufficient}), or the budget less posted charges and holds (else
 * {@code account_over_budget}), covers it. No card in force: nothing would be charged, so nothing is held.
 */
@Singleton
public record PayerAdmission(PayerRows rows, RateCards cards, AuditLog audit, BookingClock clock, Payers payers,
                             AccountEvents events)
        implements ChargeAccountPort {

    @Override
    public void admit(Connection c, TenantId tenant, UUID userId, TenantId userHome, UUID instrumentId,
                      @Nullable UUID serviceId, @Nullable String accountCode, String rateGroup, Instant start,
                      @Nullable Instant end, UUID bookingOrRequestId, List<FieldProblem> problems)
            throws SQLException {
        if (PayerChecks.blank(accountCode) || !userHome.equals(tenant)) {
            return;
        }
        Optional<PayerRows.Facts> found = rows.facts(accountCode.strip(), userId, clock.now(), payers.defaultOverdueDays());
        if (found.isEmpty()) {
            problems.add(refusal("account_unknown", Map.of("code", accountCode.strip())));
            return;
        }
        PayerRows.Facts f = found.get();
        ZoneId zone = ZoneId.of(f.zone());
        LocalDate day = start.atZone(zone).toLocalDate();
        if ("closed".equals(f.status()) || (f.validFrom() != null && day.isBefore(f.validFrom()))
                || (f.validTo() != null && day.isAfter(f.validTo()))) {
            problems.add(refusal("account_expired", Map.of("validTo", f.validTo() == null ? "" : f.validTo().toString())));
            return;
        }
        if (!userId.equals(f.piUserId())) {
            if (f.memberState() == null || "revoked".equals(f.memberState())) {
                problems.add(refusal("account_not_member", Map.of()));
                return;
            }
            if ("requested".equals(f.memberState())) {
                problems.add(refusal("account_not_approved", Map.of()));
                return;
            }
        }
        if (f.overdueFen() > 0) {
            problems.add(refusal("account_in_arrears", Map.of("amount", yuan(f.overdueFen()),
                    "days", payers.overdueDays(tenant))));
            return;
        }
        boolean prepaid = "prepaid".equals(f.settlement());
        if (!problems.isEmpty() || (!prepaid && f.budgetFen() == null)) {
            return;
        }
        long estimate = estimate(c, tenant, instrumentId, serviceId, rateGroup, start, end, bookingOrRequestId);
        if (estimate <= 0) {
            return;
        }
        rows.lock(f.id()); // holds of one account are decided one at a time
        String sourceType = end == null ? "sample_request" : "booking";
        UUID holdId = UUID.randomUUID();
        long held = prepaid ? rows.holdWithinDeposit(holdId, f.id(), sourceType, bookingOrRequestId, estimate)
                : rows.holdWithinBudget(holdId, f.id(), sourceType, bookingOrRequestId, estimate);
        if (held == 0) {
            problems.add(refusal(prepaid ? "deposit_insufficient" : "account_over_budget",
                    Map.of("estimate", yuan(estimate))));
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sourceType", sourceType);
        details.put("sourceId", bookingOrRequestId.toString());
        details.put("amountFen", estimate);
        audit.append(c, AuditEntry.system("deposit_hold.held", "payer_account", f.id().toString(), details));
        rows.holdOfSource(bookingOrRequestId).ifPresent(h -> placed(c, tenant, h));
    }

    @Override
    public void release(Connection c, TenantId tenant, UUID bookingOrRequestId) throws SQLException {
        if (rows.release(bookingOrRequestId, clock.now()) > 0) {
            audit.append(c, AuditEntry.system("deposit_hold.released", "deposit_hold", bookingOrRequestId.toString(),
                    Map.of("sourceId", bookingOrRequestId.toString())));
            var hold = rows.holdOfSource(bookingOrRequestId);
            if (hold.isPresent()) {
                events.hold(c, tenant, "hold.released", hold.get(), "cancelled");
            }
        }
    }

    private void placed(Connection c, TenantId tenant, PayerRows.HoldFact h) {
        try {
            events.hold(c, tenant, "hold.placed", h, null);
        } catch (SQLException e) {
            throw new io.micronaut.data.exceptions.DataAccessException("event of a hold", e);
        }
    }

    /**
     * The estimate of a booking or request (fen): the card in force at {@code start} for the instrument (or service)
     * and rate group, rated by {@link RateCards#price} (its rounding rule): an hourly card for the booked time, a day
     * card per started day, a sample card for the request's samples, anything else one unit. Without the assisted
     * surcharge (the port does not say). 0 when no card is in force.
     */
    long estimate(Connection c, TenantId tenant, UUID instrumentId, @Nullable UUID serviceId, String rateGroup,
                  Instant start, @Nullable Instant end, UUID id) {
        Optional<RateCard> card = cards.effective(tenant, instrumentId, serviceId, rateGroup, start);
        if (card.isEmpty()) {
            return 0;
        }
        RateCard k = card.get();
        if (end != null && "hour".equals(k.unit())) {
            return cards.price(k, Duration.between(start, end), false, start);
        }
        long quantity;
        if (end != null) {
            long seconds = Duration.between(start, end).getSeconds();
            quantity = "day".equals(k.unit()) ? Math.max(1, (seconds + 86_399) / 86_400) : 1;
        } else {
            quantity = "sample".equals(k.unit()) ? rows.sampleCount(id).orElse(1) : 1;
        }
        return cards.price(k, quantity, false, start);
    }

    static FieldProblem refusal(String code, Map<String, Object> args) {
        return new FieldProblem("accountCode", code, "payers.refusal." + code, args);
    }

    /** Fen as yuan with two decimals (exact: no rounding). */
    static String yuan(long fen) {
        return java.math.BigDecimal.valueOf(fen, 2).toPlainString();
    }
}
