package org.labcommons.core.billing.payers;

import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.billing.charges.Charge;
import org.labcommons.core.billing.charges.ChargePayers;
import org.labcommons.core.billing.charges.PayerLine;
import org.labcommons.core.billing.ledger.Ledger;
import org.labcommons.core.billing.ledger.NewAccount;
import org.labcommons.core.booking.BookingClock;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * Who pays a charge ({@link ChargePayers}), in the posting's transaction: a user of another institution, that
 * institution ({@code 1122.tenant.<home>}, kind {@code tenant}); else the account the booking or request carried when
 * it is usable for the user on the service day (active, valid, the PI or an approved member): its receivable
 * {@code 1122.payer.<id>} (project, department, post-paid customer) or its deposit {@code 2203.deposit.<id>}
 * (prepaid, kind {@code deposit}); else empty (the person's receivable). The hold of the charge's booking or
 * request (or of the booking a usage session ran against) is captured when the account pays, else released.
 * Arrears do not stop a posting: they stop new bookings.
 */
@Singleton
public record PayerCharges(PayerRows rows, Payers payers, Ledger ledger, AuditLog audit, BookingClock clock)
        implements ChargePayers {

    @Override
    public Optional<PayerLine> payerFor(Connection c, Charge charge) {
        if (!charge.userHomeTenant().equals(charge.tenant())) {
            String code = "1122.tenant." + charge.userHomeTenant().value();
            ledger.ensureAccount(charge.tenant(), new NewAccount(code, "asset", "应收其他单位", "Receivable from another institution",
                    "tenant", charge.userHomeTenant().value()));
            return Optional.of(new PayerLine(charge.userHomeTenant().value(), "tenant", code, false, null, null));
        }
        Optional<PayerLine> line = usable(charge);
        long settled = line.isPresent() && !"tenant".equals(line.get().payerKind())
                ? rows.capture(charge.sourceType(), charge.sourceId(), charge.id(), clock.now())
                : release(charge);
        if (settled > 0) {
            try {
                audit.append(c, AuditEntry.system(line.isPresent() ? "deposit_hold.captured" : "deposit_hold.released",
                        "deposit_hold", charge.sourceId().toString(), Map.of("chargeId", charge.id().toString())));
            } catch (SQLException e) {
                throw new io.micronaut.data.exceptions.DataAccessException("audit of a hold", e);
            }
        }
        return line;
    }

    private long release(Charge charge) {
        return "booking".equals(charge.sourceType()) || "sample_request".equals(charge.sourceType())
                ? rows.release(charge.sourceId(), clock.now()) : 0;
    }

    private Optional<PayerLine> usable(Charge charge) {
        if (PayerChecks.blank(charge.accountCode())) {
            return Optional.empty();
        }
        return rows.facts(charge.accountCode().strip(), charge.userId(), clock.now(), payers.defaultOverdueDays())
                .filter(f -> "active".equals(f.status()))
                .filter(f -> {
                    var day = charge.serviceStart().atZone(ZoneId.of(f.zone())).toLocalDate();
                    return (f.validFrom() == null || !day.isBefore(f.validFrom())) && (f.validTo() == null || !day.isAfter(f.validTo()));
                })
                .filter(f -> charge.userId().equals(f.piUserId()) || "approved".equals(f.memberState()))
                .map(f -> {
                    boolean prepaid = "prepaid".equals(f.settlement());
                    boolean customer = "customer".equals(f.kind());
                    String code = prepaid ? Payers.depositCode(f.id()) : Payers.receivableCode(f.id());
                    payers.ensureLedgerAccount(charge.tenant(), rows.byId(f.id()).orElseThrow());
                    String category = customer ? "external" : charge.userId().equals(f.piUserId()) ? "staff" : f.category();
                    return new PayerLine(f.id(), prepaid ? "deposit" : f.kind(), code, !customer, category,
                            customer ? f.taxId() : null);
                });
    }
}
