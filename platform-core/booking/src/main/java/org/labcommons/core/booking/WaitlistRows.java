package org.labcommons.core.booking;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.problem.ProblemException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of the waitlist ({@code booking_waitlist}, {@code waitlist_offer}): places in the queue
 * ({@link Waitlist}) and the offers that hand a freed slot on ({@link WaitlistOffers}). Plain JDBC
 * on the caller's tenant-bound connection: the next-in-line read locks with
 * {@code for update ... skip locked}.
 */
@Singleton
public class WaitlistRows {

    /** A waiting entry whose wanted slot is free; {@code nextVersion} is its version after the offer. */
    record Waiting(UUID id, UUID userId, Instant start, Instant end, long nextVersion) {
    }

    /**
     * The first person waiting (oldest entry first) whose wanted slot overlaps [freedStart,
     * freedEnd), starts after {@code now} and is entirely free of active bookings; the entry is
     * locked (entries locked by another transaction are skipped).
     */
    Optional<Waiting> nextWaiting(Connection c, UUID instrumentId, Instant freedStart, Instant freedEnd, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select w.id, w.user_id, w.starts_at, w.ends_at, w.version "
                + "from booking_waitlist w where w.instrument_id = ? and w.status = 'waiting' and w.starts_at < ? "
                + "and w.ends_at > ? and w.starts_at > ? and not exists (select 1 from booking b "
                + "where b.instrument_id = w.instrument_id and b.status in " + BookingRows.ACTIVE_SQL
                + " and b.slot && tstzrange(w.starts_at, w.ends_at, '[)')) "
                + "order by w.created_at, w.seq limit 1 for update of w skip locked")) {
            ps.setObject(1, instrumentId);
            ps.setTimestamp(2, Timestamp.from(freedEnd));
            ps.setTimestamp(3, Timestamp.from(freedStart));
            ps.setTimestamp(4, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Waiting(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getTimestamp(3).toInstant(), rs.getTimestamp(4).toInstant(), rs.getLong(5) + 1));
            }
        }
    }

    void insertOffer(Connection c, UUID offer, Waiting w, UUID instrumentId, @Nullable UUID freedBooking, Instant now,
                     Instant expires) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into waitlist_offer (tenant_id, id, waitlist_id, "
                + "instrument_id, user_id, starts_at, ends_at, freed_booking_id, offered_at, expires_at) values "
                + "(app_tenant(), ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, offer);
            ps.setObject(2, w.id());
            ps.setObject(3, instrumentId);
            ps.setObject(4, w.userId());
            ps.setTimestamp(5, Timestamp.from(w.start()));
            ps.setTimestamp(6, Timestamp.from(w.end()));
            ps.setObject(7, freedBooking);
            ps.setTimestamp(8, Timestamp.from(now));
            ps.setTimestamp(9, Timestamp.from(expires));
            ps.executeUpdate();
        }
    }

    void markOffered(Connection c, Waiting w, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update booking_waitlist set status = 'offered', "
                + "version = ?, updated_at = ? where id = ?")) {
            ps.setLong(1, w.nextVersion());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, w.id());
            ps.executeUpdate();
        }
    }

    /** A new place in the queue; a second wait for the same slot is the unique index's SQLState 23505. */
    void join(Connection c, UUID id, UUID instrumentId, UUID userId, UUID userTenant, BookingService.NewBooking r,
              Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into booking_waitlist (tenant_id, id, instrument_id, "
                + "user_id, user_tenant_id, starts_at, ends_at, account_code, purpose, assisted, created_at, updated_at) "
                + "values (app_tenant(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setObject(2, instrumentId);
            ps.setObject(3, userId);
            ps.setObject(4, userTenant);
            ps.setTimestamp(5, Timestamp.from(r.start()));
            ps.setTimestamp(6, Timestamp.from(r.end()));
            ps.setString(7, r.accountCode());
            ps.setString(8, r.purpose());
            ps.setBoolean(9, r.assisted());
            ps.setTimestamp(10, Timestamp.from(now));
            ps.setTimestamp(11, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    void accepted(Connection c, UUID offerId, UUID bookingId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update waitlist_offer set status = 'accepted', "
                + "decided_at = ?, booking_id = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, bookingId);
            ps.setObject(3, offerId);
            ps.executeUpdate();
        }
    }

    void closeOffer(Connection c, UUID offerId, String status, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update waitlist_offer set status = ?, decided_at = ? where id = ?")) {
            ps.setString(1, status);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, offerId);
            ps.executeUpdate();
        }
    }

    void close(Connection c, UUID entryId, String status, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update booking_waitlist set status = ?, version = version + 1, "
                + "updated_at = ? where id = ?")) {
            ps.setString(1, status);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, entryId);
            ps.executeUpdate();
        }
    }

    /** An offer with what its entry asked for. */
    record OfferRow(UUID id, UUID waitlistId, UUID instrumentId, Instant start, Instant end, String status,
                    Instant expiresAt, String accountCode, String purpose, boolean assisted) {
    }

    /** The caller's offer, locked; someone else's offer does not exist. {@code userId} null: anyone's (the sweep). */
    OfferRow offerForUpdate(Connection c, UUID offerId, @Nullable UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select o.id, o.waitlist_id, o.instrument_id, o.starts_at, o.ends_at, "
                + "o.status, o.expires_at, w.account_code, w.purpose, w.assisted from waitlist_offer o "
                + "join booking_waitlist w on w.tenant_id = o.tenant_id and w.id = o.waitlist_id "
                + "where o.id = ? and (?::uuid is null or o.user_id = ?) for update of o")) {
            ps.setObject(1, offerId);
            ps.setObject(2, userId);
            ps.setObject(3, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound();
                }
                return new OfferRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), rs.getString(6),
                        rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getString(9), rs.getBoolean(10));
            }
        }
    }

    /** The user's entries (only {@code only} when given), newest first, each with its latest offer. */
    List<Waitlist.Entry> entries(Connection c, UUID userId, @Nullable UUID only, ZoneId zone) throws SQLException {
        List<Waitlist.Entry> out = new ArrayList<>();
        Map<UUID, Waitlist.Offer> offers = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select distinct on (o.waitlist_id) o.id, o.waitlist_id, "
                + "o.instrument_id, o.starts_at, o.ends_at, o.status, o.expires_at, o.booking_id from waitlist_offer o "
                + "where o.user_id = ? and (?::uuid is null or o.waitlist_id = ?) order by o.waitlist_id, o.offered_at desc")) {
            ps.setObject(1, userId);
            ps.setObject(2, only);
            ps.setObject(3, only);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    offers.put(rs.getObject(2, UUID.class), new Waitlist.Offer(rs.getObject(1, UUID.class),
                            rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), Booking.at(rs, 4, zone),
                            Booking.at(rs, 5, zone), rs.getString(6), Booking.at(rs, 7, zone),
                            rs.getObject(8, UUID.class)));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select id, instrument_id, user_id, starts_at, ends_at, status, "
                + "created_at from booking_waitlist where user_id = ? and (?::uuid is null or id = ?) "
                + "order by created_at desc limit 500")) {
            ps.setObject(1, userId);
            ps.setObject(2, only);
            ps.setObject(3, only);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    out.add(new Waitlist.Entry(id, rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                            Booking.at(rs, 4, zone), Booking.at(rs, 5, zone), rs.getString(6), offers.get(id),
                            Booking.at(rs, 7, zone)));
                }
            }
        }
        return out;
    }
}
