package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Hands a freed slot (a booking cancelled, rejected or moved; an offer declined or expired) to the
 * waitlist, in the transaction that freed it: the offer, the entry's new state, the audit entry and
 * the {@code waitlist.offered} event commit together.
 */
@Singleton
public record WaitlistOffers(WaitlistRows rows,
                             BookingRulesService rulesService,
                             AuditLog audit,
                             BookingEvents events,
                             BookingClock clock) {
    /**
     * Offers a freed slot to the first person waiting (oldest entry first) whose wanted slot
     * overlaps it and is now entirely free; the offer is open for the rules' waitlist offer period
     * (never beyond the wanted start).
     */
    void offerNext(Connection c, UUID instrumentId, Instant freedStart, Instant freedEnd, @Nullable UUID freedBooking)
            throws SQLException {
        Instant now = clock.now();
        Optional<WaitlistRows.Waiting> next = rows.nextWaiting(instrumentId, freedStart, freedEnd, now);
        if (next.isEmpty()) {
            return;
        }
        WaitlistRows.Waiting w = next.get();
        BookingRules rules = rulesService.rules(c, instrumentId);
        Instant expires = now.plus(Duration.ofMinutes(rules.waitlistOfferMinutes()));
        if (expires.isAfter(w.startsAt())) {
            expires = w.startsAt();
        }
        UUID offer = UUID.randomUUID();
        rows.insertOffer(offer, w.id(), instrumentId, w.userId(), w.startsAt(), w.endsAt(), freedBooking, now, expires);
        rows.markOffered(w.id(), w.nextVersion(), now);
        Map<String, Object> details = new HashMap<>();
        details.put("offerId", offer.toString());
        details.put("userId", w.userId().toString());
        details.put("expiresAt", expires.toString());
        audit.append(c, AuditEntry.system("waitlist.offered", "waitlist_entry", w.id().toString(), details));
        events.offered(c, offer, w.id(), w.nextVersion(), instrumentId, w.userId(), w.startsAt(), w.endsAt(), expires,
                freedBooking);
    }
}
