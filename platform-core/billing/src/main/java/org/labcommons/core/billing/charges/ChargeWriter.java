package org.labcommons.core.billing.charges;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.tenancy.TenantId;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The changes of a charge, each in the caller's tenant transaction with its audit entry and event: adding a charge
 * with its first ({@code rated}) item, adding an item (a re-rating, adjustment or waiver: never an update of an
 * amount), approving (and posting through {@link ChargePosting}). An item added to an approved charge posts the
 * difference between the charge's amount and what the ledger holds of it.
 */
@Singleton
public record ChargeWriter(ChargeRows rows, ChargeEvents events, ChargePosting posting, BookingClock clock) {

    /** The charge as everyone reads it. */
    static Charge view(TenantId tenant, ChargeRows.Stored s) {
        return new Charge(s.id(), tenant, s.sourceType(), s.sourceId(), s.kind(), s.instrumentId(), s.serviceId(),
                s.orgUnitId(), s.userId(), new TenantId(s.userHomeTenantId()), s.accountCode(), s.rateGroup(),
                s.feeStandardId(), s.feeStandardVersion(), s.serviceStart(), s.serviceEnd(), s.quantity(), s.unit(),
                s.amountFen(), s.status(), s.createdAt(), s.version());
    }

    /**
     * Adds the charge with a {@code rated} item of {@code amountFen}, once per (source, card): empty when the source
     * already has a charge under that card (a redelivery, a race). Without review, a rated charge is approved and
     * posted at once; an unrated one (no filed card: amount 0) always waits for staff.
     */
    Optional<ChargeRows.Stored> create(Connection c, TenantId tenant, NewCharge n, long amountFen, String reason,
                                       boolean reviewRequired, Who who) throws SQLException {
        UUID id = UUID.randomUUID();
        Instant now = clock.now();
        boolean unrated = n.feeStandardId() == null;
        if (rows.insert(id, n.sourceType(), n.sourceId(), n.sourceVersion(), n.kind(), n.bookingId(), n.instrumentId(),
                n.serviceId(), n.orgUnitId(), n.userId(), n.userHomeTenant(), n.accountCode(), n.rateGroup(),
                n.feeStandardId(), n.feeStandardVersion(), unrated, n.serviceStart(), n.serviceEnd(), n.quantity(),
                n.unit(), now) == 0) {
            return Optional.empty();
        }
        ChargeRows.Stored s = rows.lock(id).orElseThrow();
        rows.insertItem(id, 1, "rated", unrated ? 0 : amountFen, n.quantity(), reason, null, who.userId(), who.label(), now);
        rows.addAmount(id, unrated ? 0 : amountFen, now);
        s = rows.find(id).orElseThrow();
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("unrated", unrated);
        more.put("reason", reason);
        events.changed(c, who, "created", view(tenant, s), more);
        if (!reviewRequired && !unrated) {
            approve(c, tenant, s, who);
        }
        return rows.find(id);
    }

    /**
     * Appends an item of {@code deltaFen} to a locked charge ({@code kind} rerated, adjustment or waiver) and, when the
     * charge is approved, posts the new difference to the ledger; answers the item's seq.
     */
    int item(Connection c, TenantId tenant, ChargeRows.Stored locked, String kind, long deltaFen,
             @Nullable BigDecimal quantity, @Nullable String reason, Who who) throws SQLException {
        Instant now = clock.now();
        int seq = rows.nextSeq(locked.id());
        rows.insertItem(locked.id(), seq, kind, deltaFen, quantity, reason, seq - 1, who.userId(), who.label(), now);
        rows.addAmount(locked.id(), deltaFen, now);
        ChargeRows.Stored s = rows.find(locked.id()).orElseThrow();
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("itemSeq", seq);
        more.put("itemKind", kind);
        more.put("deltaFen", deltaFen);
        more.put("reason", reason);
        events.changed(c, who, kind.equals("waiver") ? "waived" : "adjusted", view(tenant, s), more);
        if ("approved".equals(s.status()) || "approved".equals(s.statusBeforeDispute())) {
            long open = s.amountFen() - s.postedFen();
            if (open != 0) {
                posting.post(c, view(tenant, s), seq, open, who);
            }
        }
        return seq;
    }

    /** Waives a locked charge: a {@code waiver} item of minus its amount (posted back when it was posted), status waived. */
    void waive(Connection c, TenantId tenant, ChargeRows.Stored locked, String reason, Who who) throws SQLException {
        item(c, tenant, locked, "waiver", -locked.amountFen(), BigDecimal.ZERO, reason, who);
        rows.status(locked.id(), "waived", null, clock.now());
    }

    /** Approves a locked pending charge and posts its amount (none when it is 0). */
    void approve(Connection c, TenantId tenant, ChargeRows.Stored locked, Who who) throws SQLException {
        Instant now = clock.now();
        rows.approve(locked.id(), who.userId(), now);
        ChargeRows.Stored s = rows.find(locked.id()).orElseThrow();
        events.changed(c, who, "approved", view(tenant, s), Map.of());
        long open = s.amountFen() - s.postedFen();
        if (open != 0) {
            posting.post(c, view(tenant, s), rows.nextSeq(s.id()) - 1, open, who);
        }
    }
}
