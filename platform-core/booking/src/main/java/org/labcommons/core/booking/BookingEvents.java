package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.notify.Notifications;
import org.labcommons.core.events.Outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Events of the booking feature on {@code booking.v1} (docs/events.md), written in the same
 * transaction as the change, with the notifications the change owes ({@link Notifications}). Times in payloads are ISO-8601 UTC; payloads carry ids, never names.
 */
@Singleton
public record BookingEvents(Outbox outbox, Notifications notifications) {
    /** {@code booking.<type>} for a booking after the change; {@code extra} adds type-specific members. */
    public void booking(Connection c, String type, Booking b, @Nullable Map<String, Object> extra) throws SQLException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", b.id().toString());
        p.put("instrumentId", b.instrumentId().toString());
        p.put("status", b.status());
        p.put("start", b.startInstant().toString());
        p.put("end", b.endInstant().toString());
        p.put("blockedUntil", b.blockedUntil().toInstant().toString());
        p.put("requesterUserId", b.requesterUserId().toString());
        p.put("requesterTenantId", b.requesterTenantId().toString());
        p.put("accountCode", b.accountCode());
        p.put("rateGroup", b.rateGroup());
        p.put("assisted", b.assisted());
        p.put("seriesId", b.seriesId() == null ? null : b.seriesId().toString());
        p.put("seriesIndex", b.seriesIndex());
        p.put("waitlistOfferId", b.waitlistOfferId() == null ? null : b.waitlistOfferId().toString());
        p.put("version", b.version());
        if (extra != null) {
            p.putAll(extra);
        }
        outbox.append(c, new Outbox.Event(BookingTopics.BOOKING, "booking." + type, 1, "booking", b.id().toString(), b.version(), p));
        notifications.bookingChanged(c, type, b, extra);
    }

    /** {@code waitlist.offered}: the first person waiting is offered a freed slot until {@code expiresAt}. */
    public void offered(Connection c, UUID offerId, UUID waitlistId, long waitlistVersion, UUID instrumentId, UUID userId,
                        Instant start, Instant end, Instant expiresAt, @Nullable UUID freedBookingId) throws SQLException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("offerId", offerId.toString());
        p.put("waitlistId", waitlistId.toString());
        p.put("instrumentId", instrumentId.toString());
        p.put("userId", userId.toString());
        p.put("start", start.toString());
        p.put("end", end.toString());
        p.put("expiresAt", expiresAt.toString());
        p.put("freedBookingId", freedBookingId == null ? null : freedBookingId.toString());
        outbox.append(c, new Outbox.Event(BookingTopics.BOOKING, "waitlist.offered", 1, "waitlist_entry", waitlistId.toString(),
                waitlistVersion, p));
        notifications.offered(c, offerId, instrumentId, userId, start, end, expiresAt);
    }

    /**
     * {@code qualification.granted} / {@code qualification.revoked}: a user's authorisation for an instrument after
     * the change (aggregate {@code instrument_authorisation}, key = the instrument id so an instrument's changes stay
     * in order), read by usage's grant publisher to bring the interlocks' view up to date.
     */
    public void qualification(Connection c, String type, Qualifications.Authorisation a) throws SQLException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("instrumentId", a.instrumentId().toString());
        p.put("userId", a.userId().toString());
        p.put("state", a.state());
        p.put("version", a.version());
        outbox.append(c, new Outbox.Event(BookingTopics.BOOKING, "qualification." + type, 1, "instrument_authorisation",
                a.instrumentId().toString(), a.version(), p));
    }

    /** {@code usage.recorded}: actual use of an instrument (staff record now, devices later). */
    public void usageRecorded(Connection c, UsageRecords.UsageRecord u) throws SQLException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", u.id().toString());
        p.put("instrumentId", u.instrumentId().toString());
        p.put("bookingId", u.bookingId() == null ? null : u.bookingId().toString());
        p.put("userId", u.userId() == null ? null : u.userId().toString());
        p.put("start", u.start().toInstant().toString());
        p.put("end", u.end().toInstant().toString());
        p.put("minutes", java.time.Duration.between(u.start(), u.end()).toMinutes());
        p.put("source", u.source());
        outbox.append(c, new Outbox.Event(BookingTopics.BOOKING, "usage.recorded", 1, "usage_record", u.id().toString(), 1, p));
    }
}
