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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The SQL of the booking aggregate ({@code booking}, {@code booking_block}, and the reads and
 * locks a booking's transaction takes on its instrument, its rules and maintenance windows): every
 * statement runs on the caller's connection, bound to the tenant, so row level security applies.
 * Plain JDBC: the statements take advisory locks, row locks and range operators that the booking
 * path was tuned on (statements per request, lock order); the decisions stay in
 * {@link BookingAdmission}, {@link BookingLifecycle} and {@link BookingService}.
 */
@Singleton
public class BookingRows {
    static final String ACTIVE_SQL = "('requested', 'approved', 'checked_in')";

    /** The prefix of {@link #slotLockKey}, followed by the instrument id as text. */
    private static final String SLOT_LOCK_PREFIX = "booking-slots:";

    private final BookingRulesService rulesService;

    public BookingRows(BookingRulesService rulesService) {
        this.rulesService = rulesService;
    }

    /** What {@link #prefetch} read for a new booking. */
    record Prefetched(boolean bookable, BookingService.InstrumentAccess access, BookingRules rules,
                      Set<String> priceGroups, @Nullable Instant blockedUntil) {
    }

    /** What the second statement of a new booking read: the user's future bookings and a maintenance window in the way. */
    record Serialised(long futureBookings, @Nullable SlotConflictException.Conflict maintenance) {
    }

    /** A new booking row; {@code decidedBy} non-null: approved by them at {@code now}. */
    record NewRow(UUID id, UUID instrumentId, @Nullable UUID seriesId, @Nullable Integer seriesIndex, UUID requester,
                  UUID requesterTenant, @Nullable String accountCode, String rateGroup, boolean assisted,
                  @Nullable String purpose, String status, Instant start, Instant end, Instant blockedUntil,
                  @Nullable UUID offerId, Instant now, @Nullable UUID decidedBy) {
    }

    // ------------------------------------------------------------------ locks

    /**
     * The key of the transaction advisory lock on one instrument's calendar. Every transaction that
     * writes an active booking row of the instrument (insert, reschedule, approval, check-in) takes
     * it before that write. Without it, two transactions inserting overlapping slots each find the
     * other's uncommitted row while checking the exclusion constraint, each waits for the other,
     * and PostgreSQL aborts one as a deadlock (40P01) only after {@code deadlock_timeout}; under a
     * few hundred racing clients even five reruns were not always enough (a CI run answered 500).
     * With it, racers for one instrument queue, and the second finds the first's committed row: a
     * clean 23P01 and a 409. The exclusion constraints still decide what may overlap; the lock only
     * orders the contenders. Bookings of different instruments never wait for each other, and the
     * count of a user's future bookings read under the lock holds as before.
     */
    private static String slotLockKey(UUID instrumentId) {
        return SLOT_LOCK_PREFIX + instrumentId;
    }

    /**
     * {@link #lockSlots} for the instrument of a booking (nothing when there is no such booking),
     * before the booking's row is locked: the order every writer keeps (calendar, then row), so an
     * approval and a reschedule of one booking cannot wait for each other in a cycle.
     */
    void lockSlotsOf(Connection c, UUID bookingId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(hashtextextended("
                + "? || instrument_id::text, 0)) from booking where id = ?")) {
            ps.setString(1, SLOT_LOCK_PREFIX);
            ps.setObject(2, bookingId);
            ps.execute();
        }
    }

    /** Takes the advisory lock on the instrument's calendar ({@link #slotLockKey}) until the transaction ends. */
    void lockSlots(Connection c, UUID instrumentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, slotLockKey(instrumentId));
            ps.execute();
        }
    }

    /**
     * Key-share lock on the instrument row: bookings of one instrument do not block each other, but
     * a maintenance window being created (which locks the row for update) waits for them, and they
     * for it, so neither can miss the other. Returns whether the instrument may be booked now
     * (in service or idle, not archived).
     */
    boolean lockInstrumentShared(Connection c, UUID instrumentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select status in ('in_service', 'idle') and archived_at is null "
                + "from instrument where id = ? for key share")) {
            ps.setObject(1, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound();
                }
                return rs.getBoolean(1);
            }
        }
    }

    // ------------------------------------------------------------------ a new booking

    /**
     * The first statement of a new booking: takes the advisory lock on the instrument's calendar
     * ({@link #slotLockKey}: racers for one instrument queue instead of deadlocking in the exclusion
     * check, and the count of the user's future bookings read by the next statement holds) and the
     * key-share lock on the instrument row ({@link #lockInstrumentShared}), and reads whether it may
     * be booked now, what the access decision needs (its unit chain and sharing scope), the tenant's
     * time zone, the rules, the rate groups with a machine-time price, and a no-show block of the
     * user. 404 when the bound tenant has no such instrument.
     */
    Prefetched prefetch(Connection c, UUID instrumentId, UUID userId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select i.status in ('in_service', 'idle') and i.archived_at is null, "
                + "i.org_unit_id, i.sharing_scope, "
                + "(with recursive up(id, parent_id, depth) as (select id, parent_id, 0 from org_unit where id = i.org_unit_id "
                + "union all select o.id, o.parent_id, up.depth + 1 from org_unit o join up on o.id = up.parent_id "
                + "where up.depth < 64) select array_agg(id order by depth) from up), "
                + BookingRulesService.TIME_ZONE_SQL + ", "
                + "(select array_agg(distinct p.rate_group_code) from instrument_price p where p.instrument_id = i.id "
                + "and p.service_id is null), "
                + "(select max(k.blocked_until) from booking_block k where k.instrument_id = i.id and k.user_id = ? "
                + "and k.blocked_until > ?), "
                + "pg_advisory_xact_lock(hashtextextended(?, 0))::text, "
                + BookingRulesService.RULE_COLUMNS + " "
                + "from instrument i left join booking_rules r on r.instrument_id = i.id "
                + "where i.id = ? for key share of i")) {
            ps.setObject(1, userId);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, slotLockKey(instrumentId));
            ps.setObject(4, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound();
                }
                UUID unit = rs.getObject(2, UUID.class);
                java.sql.Array chainArray = rs.getArray(4);
                List<UUID> chain = new ArrayList<>();
                if (chainArray != null) {
                    for (Object o : (Object[]) chainArray.getArray()) {
                        chain.add((UUID) o);
                    }
                }
                String zone = rs.getString(5);
                java.sql.Array groupArray = rs.getArray(6);
                Set<String> groups = new HashSet<>();
                if (groupArray != null) {
                    for (Object o : (Object[]) groupArray.getArray()) {
                        groups.add((String) o);
                    }
                }
                Timestamp blocked = rs.getTimestamp(7);
                BookingRules rules = rulesService.read(rs, 9, instrumentId, zone == null ? "Asia/Shanghai" : zone);
                return new Prefetched(rs.getBoolean(1), new BookingService.InstrumentAccess(instrumentId, unit,
                        rs.getString(3), List.copyOf(chain)), rules, groups, blocked == null ? null : blocked.toInstant());
            }
        }
    }

    /**
     * The second statement of a new booking (after the locks of {@link #prefetch}, so a fresh
     * snapshot): the user's active future bookings of the instrument and the first maintenance
     * window overlapping [start, end).
     */
    Serialised futureAndMaintenance(Connection c, UUID instrumentId, UUID userId, Instant now, Instant start, Instant end,
                                    ZoneId zone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select (select count(*) from booking where instrument_id = ? "
                + "and requester_user_id = ? and status in " + ACTIVE_SQL + " and ends_at > ?), m.lo, m.hi "
                + "from (select 1) one left join lateral (select lower(period) lo, upper(period) hi "
                + "from maintenance_window where instrument_id = ? and period && tstzrange(?, ?, '[)') "
                + "order by lower(period) limit 1) m on true")) {
            ps.setObject(1, instrumentId);
            ps.setObject(2, userId);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setObject(4, instrumentId);
            ps.setTimestamp(5, Timestamp.from(start));
            ps.setTimestamp(6, Timestamp.from(end));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                SlotConflictException.Conflict maintenance = rs.getTimestamp(2) == null ? null
                        : new SlotConflictException.Conflict("maintenance", Booking.at(rs, 2, zone), Booking.at(rs, 3, zone));
                return new Serialised(rs.getLong(1), maintenance);
            }
        }
    }

    /** Inserts the booking and returns it as stored; a slot in the way is the exclusion constraints' SQLState 23P01. */
    Booking insert(Connection c, NewRow r, ZoneId zone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into booking (tenant_id, id, instrument_id, series_id, "
                + "series_index, requester_user_id, requester_tenant_id, account_code, rate_group, assisted, purpose, "
                + "status, starts_at, ends_at, blocked_until, waitlist_offer_id, created_at, updated_at, decided_by, "
                + "decided_at) values (app_tenant(), "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning " + Booking.COLUMNS)) {
            int i = 1;
            ps.setObject(i++, r.id());
            ps.setObject(i++, r.instrumentId());
            ps.setObject(i++, r.seriesId());
            ps.setObject(i++, r.seriesIndex());
            ps.setObject(i++, r.requester());
            ps.setObject(i++, r.requesterTenant());
            ps.setString(i++, r.accountCode());
            ps.setString(i++, r.rateGroup());
            ps.setBoolean(i++, r.assisted());
            ps.setString(i++, r.purpose());
            ps.setString(i++, r.status());
            ps.setTimestamp(i++, Timestamp.from(r.start()));
            ps.setTimestamp(i++, Timestamp.from(r.end()));
            ps.setTimestamp(i++, Timestamp.from(r.blockedUntil()));
            ps.setObject(i++, r.offerId());
            ps.setTimestamp(i++, Timestamp.from(r.now()));
            ps.setTimestamp(i++, Timestamp.from(r.now()));
            ps.setObject(i++, r.decidedBy());
            ps.setTimestamp(i, r.decidedBy() == null ? null : Timestamp.from(r.now()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Booking.read(rs, zone);
            }
        }
    }

    /** The rate groups the instrument publishes a machine-time price for (V11, {@code service_id is null}). */
    Set<String> machineTimeRateGroups(Connection c, UUID instrumentId) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("select distinct rate_group_code from instrument_price "
                + "where instrument_id = ? and service_id is null")) {
            ps.setObject(1, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The end of the user's running no-show block on the instrument, or null. */
    @Nullable
    Instant blockedUntil(Connection c, UUID instrumentId, UUID userId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select max(blocked_until) from booking_block "
                + "where instrument_id = ? and user_id = ? and blocked_until > ?")) {
            ps.setObject(1, instrumentId);
            ps.setObject(2, userId);
            ps.setTimestamp(3, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp until = rs.getTimestamp(1);
                return until == null ? null : until.toInstant();
            }
        }
    }

    /** The user's active bookings of the instrument that end after {@code now}. */
    long futureBookings(Connection c, UUID instrumentId, UUID userId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from booking where instrument_id = ? "
                + "and requester_user_id = ? and status in " + ACTIVE_SQL + " and ends_at > ?")) {
            ps.setObject(1, instrumentId);
            ps.setObject(2, userId);
            ps.setTimestamp(3, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The first maintenance window overlapping [start, end), as a conflict. */
    Optional<SlotConflictException.Conflict> maintenanceIn(Connection c, UUID instrumentId, Instant start, Instant end,
                                                           ZoneId zone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select lower(period), upper(period) from maintenance_window "
                + "where instrument_id = ? and period && tstzrange(?, ?, '[)') order by lower(period) limit 1")) {
            ps.setObject(1, instrumentId);
            ps.setTimestamp(2, Timestamp.from(start));
            ps.setTimestamp(3, Timestamp.from(end));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new SlotConflictException.Conflict("maintenance",
                        Booking.at(rs, 1, zone), Booking.at(rs, 2, zone))) : Optional.empty();
            }
        }
    }

    /**
     * The first active booking in the way of [start, end) (its slot, or another user's buffer up to
     * {@code blockedUntil}), other than {@code excluding}.
     */
    Optional<SlotConflictException.Conflict> bookingInTheWay(Connection c, UUID instrumentId, UUID userId, Instant start,
                                                             Instant end, Instant blockedUntil, @Nullable UUID excluding,
                                                             ZoneId zone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select starts_at, ends_at from booking where instrument_id = ? "
                + "and status in " + ACTIVE_SQL + " and (slot && tstzrange(?, ?, '[)') "
                + "or (requester_user_id <> ? and blocked && tstzrange(?, ?, '[)'))) and (?::uuid is null or id <> ?) "
                + "order by starts_at limit 1")) {
            ps.setObject(1, instrumentId);
            ps.setTimestamp(2, Timestamp.from(start));
            ps.setTimestamp(3, Timestamp.from(end));
            ps.setObject(4, userId);
            ps.setTimestamp(5, Timestamp.from(start));
            ps.setTimestamp(6, Timestamp.from(blockedUntil));
            ps.setObject(7, excluding);
            ps.setObject(8, excluding);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new SlotConflictException.Conflict("booking",
                        Booking.at(rs, 1, zone), Booking.at(rs, 2, zone))) : Optional.empty();
            }
        }
    }

    // ------------------------------------------------------------------ reads

    static Optional<Booking> find(Connection c, UUID id, ZoneId zone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + Booking.COLUMNS + " from booking where id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Booking.read(rs, zone)) : Optional.empty();
            }
        }
    }

    /** The booking, its row locked for update; 404 when absent. */
    Booking forUpdate(Connection c, UUID id, ZoneId zone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + Booking.COLUMNS + " from booking where id = ? for update")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ProblemException.notFound();
                }
                return Booking.read(rs, zone);
            }
        }
    }

    /** The booking whose requester's home is {@code home}, its row locked for update. */
    Optional<Booking> forUpdateOfHome(Connection c, UUID id, UUID home, ZoneId zone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + Booking.COLUMNS + " from booking "
                + "where id = ? and requester_tenant_id = ? for update")) {
            ps.setObject(1, id);
            ps.setObject(2, home);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Booking.read(rs, zone)) : Optional.empty();
            }
        }
    }

    /** Bookings of an instrument overlapping [from, to); only {@code userId}'s when given. */
    List<Booking> forInstrument(Connection c, UUID instrumentId, @Nullable UUID userId, Instant from, Instant to,
                                ZoneId zone) throws SQLException {
        List<Booking> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + Booking.COLUMNS + " from booking "
                + "where instrument_id = ? and (?::uuid is null or requester_user_id = ?) and starts_at < ? and ends_at > ? "
                + "order by starts_at, id limit 2000")) {
            ps.setObject(1, instrumentId);
            ps.setObject(2, userId);
            ps.setObject(3, userId);
            ps.setTimestamp(4, Timestamp.from(to));
            ps.setTimestamp(5, Timestamp.from(from));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Booking.read(rs, zone));
                }
            }
        }
        return out;
    }

    /** The user's bookings overlapping [from, to). */
    List<Booking> mine(Connection c, UUID userId, Instant from, Instant to, ZoneId zone) throws SQLException {
        List<Booking> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + Booking.COLUMNS + " from booking "
                + "where requester_user_id = ? and starts_at < ? and ends_at > ? order by starts_at, id limit 2000")) {
            ps.setObject(1, userId);
            ps.setTimestamp(2, Timestamp.from(to));
            ps.setTimestamp(3, Timestamp.from(from));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Booking.read(rs, zone));
                }
            }
        }
        return out;
    }

    /** Active bookings (with their buffer) and maintenance windows overlapping [from, to). */
    List<BookingService.Busy> busy(Connection c, UUID instrumentId, Instant from, Instant to, ZoneId zone)
            throws SQLException {
        List<BookingService.Busy> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select 'booking', starts_at, blocked_until, status from booking "
                + "where instrument_id = ? and status in " + ACTIVE_SQL + " and starts_at < ? and blocked_until > ? "
                + "union all select 'maintenance', lower(period), upper(period), null from maintenance_window "
                + "where instrument_id = ? and period && tstzrange(?, ?, '[)') order by 2 limit 5000")) {
            ps.setObject(1, instrumentId);
            ps.setTimestamp(2, Timestamp.from(to));
            ps.setTimestamp(3, Timestamp.from(from));
            ps.setObject(4, instrumentId);
            ps.setTimestamp(5, Timestamp.from(from));
            ps.setTimestamp(6, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new BookingService.Busy(rs.getString(1), Booking.at(rs, 2, zone), Booking.at(rs, 3, zone),
                            "booking".equals(rs.getString(1)) && "requested".equals(rs.getString(4)) ? "tentative"
                                    : null));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ state changes

    /** Approves or rejects: the decision, its maker and note. */
    void decide(Connection c, UUID id, String status, UUID decidedBy, @Nullable String note, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update booking set status = ?, decided_by = ?, decided_at = ?, "
                + "decision_note = ?, version = version + 1, updated_at = ? where id = ?")) {
            ps.setString(1, status);
            ps.setObject(2, decidedBy);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, note);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setObject(6, id);
            ps.executeUpdate();
        }
    }

    /** Cancelled by a user; the reason (when given) replaces the decision note. */
    void cancel(Connection c, UUID id, UUID by, @Nullable String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update booking set status = 'cancelled', cancelled_by = ?, "
                + "cancelled_at = ?, decision_note = coalesce(?, decision_note), version = version + 1, "
                + "updated_at = ? where id = ?")) {
            ps.setObject(1, by);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, reason);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setObject(5, id);
            ps.executeUpdate();
        }
    }

    /** Cancelled by the platform for the requester's home: no user, the note as the decision note. */
    void cancelForHome(Connection c, UUID id, String note, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update booking set status = 'cancelled', cancelled_by = null, "
                + "cancelled_at = ?, decision_note = ?, version = version + 1, updated_at = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, note);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setObject(4, id);
            ps.executeUpdate();
        }
    }

    /** Moves the booking; a slot in the way is the exclusion constraints' SQLState 23P01. */
    void reschedule(Connection c, UUID id, Instant start, Instant end, Instant blockedUntil, String status, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update booking set starts_at = ?, ends_at = ?, "
                + "blocked_until = ?, status = ?, version = version + 1, updated_at = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(start));
            ps.setTimestamp(2, Timestamp.from(end));
            ps.setTimestamp(3, Timestamp.from(blockedUntil));
            ps.setString(4, status);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setObject(6, id);
            ps.executeUpdate();
        }
    }

    void checkIn(Connection c, UUID id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update booking set status = 'checked_in', checked_in_at = ?, "
                + "version = version + 1, updated_at = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    void noShow(Connection c, UUID id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update booking set status = 'no_show', no_show_at = ?, "
                + "version = version + 1, updated_at = ? where id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    /** The user's no-shows on the instrument since their last block began. */
    long noShowsSinceBlock(Connection c, UUID instrumentId, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from booking where instrument_id = ? "
                + "and requester_user_id = ? and status = 'no_show' and no_show_at > coalesce((select max(blocked_from) "
                + "from booking_block where instrument_id = ? and user_id = ?), '-infinity'::timestamptz)")) {
            ps.setObject(1, instrumentId);
            ps.setObject(2, userId);
            ps.setObject(3, instrumentId);
            ps.setObject(4, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Blocks the user from booking the instrument from {@code from} until {@code until}. */
    void block(Connection c, UUID instrumentId, UUID userId, long noShows, Instant from, Instant until)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into booking_block (tenant_id, id, instrument_id, "
                + "user_id, no_shows, blocked_from, blocked_until) values "
                + "(app_tenant(), ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, instrumentId);
            ps.setObject(3, userId);
            ps.setLong(4, noShows);
            ps.setTimestamp(5, Timestamp.from(from));
            ps.setTimestamp(6, Timestamp.from(until));
            ps.executeUpdate();
        }
    }
}
