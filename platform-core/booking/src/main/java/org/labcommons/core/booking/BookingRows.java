package org.labcommons.core.booking;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of the booking aggregate ({@code booking}, {@code booking_block}, and the reads and
 * locks a booking's transaction takes on its instrument and its maintenance windows). Call it
 * inside {@code TenantTransactions.inTenant}: it joins that transaction's connection, so the RLS
 * policies limit every statement to the bound tenant, and the advisory and row locks it takes
 * ({@link #lockSlots}, {@link #findForUpdate}) last until that transaction ends. The first
 * statement of a new booking, which takes the locks and reads the rules in one round trip, is
 * {@link BookingPrefetchRows}'. The decisions stay in {@link BookingAdmission},
 * {@link BookingLifecycle} and {@link BookingService}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface BookingRows extends GenericRepository<BookingRow, UUID> {
    /** Statuses that hold the slot, as SQL ({@link Booking#ACTIVE}). */
    String ACTIVE_SQL = "('requested', 'approved', 'checked_in')";

    /** The prefix of the calendar lock's key ({@link #lockSlots}), followed by the instrument id as text. */
    String SLOT_LOCK_PREFIX = "booking-slots:";

    /** The columns of {@link BookingRow}. */
    String COLUMNS = "id, instrument_id, status, starts_at, ends_at, blocked_until, requester_user_id, "
            + "requester_tenant_id, account_code, rate_group, assisted, purpose, series_id, series_index, decided_by, "
            + "decided_at, decision_note, cancelled_at, checked_in_at, no_show_at, waitlist_offer_id, version, created_at, "
            + "no_show_overturned_at";

    /** A stretch of time read back: a booking or a maintenance window in the way. */
    @Introspected
    record Span(Instant startsAt, Instant endsAt) {
        SlotConflictException.Conflict conflict(String kind, ZoneId zone) {
            return new SlotConflictException.Conflict(kind, Booking.at(startsAt, zone), Booking.at(endsAt, zone));
        }
    }

    /** What the second statement of a new booking read: the user's future bookings and a maintenance window in the way. */
    @Introspected
    record Serialised(long futureBookings, @Nullable Instant maintenanceStart, @Nullable Instant maintenanceEnd) {
        @Nullable
        SlotConflictException.Conflict maintenance(ZoneId zone) {
            return maintenanceStart == null ? null
                    : new Span(maintenanceStart, maintenanceEnd).conflict("maintenance", zone);
        }
    }

    /** One line of free/busy: a booking (with its buffer) or a maintenance window. */
    @Introspected
    record BusyRow(String kind, Instant startsAt, Instant endsAt, @Nullable String status) {
        BookingService.Busy toBusy(ZoneId zone) {
            return new BookingService.Busy(kind, Booking.at(startsAt, zone), Booking.at(endsAt, zone),
                    "booking".equals(kind) && "requested".equals(status) ? "tentative" : null);
        }
    }

    /** A new booking row; {@code decidedBy} non-null: approved by them at {@code now}. */
    record NewRow(UUID id, UUID instrumentId, @Nullable UUID seriesId, @Nullable Integer seriesIndex, UUID requester,
                  UUID requesterTenant, @Nullable String accountCode, String rateGroup, boolean assisted,
                  @Nullable String purpose, String status, Instant start, Instant end, Instant blockedUntil,
                  @Nullable UUID offerId, Instant now, @Nullable UUID decidedBy) {
    }

    /** The time zone of the bound tenant. */
    @Query("select time_zone from tenant where id = app_tenant()")
    Optional<String> tenantZone();

    /** The bound tenant's time zone, the times of its bookings are shown in. */
    default ZoneId zone() {
        return ZoneId.of(tenantZone().orElse("Asia/Shanghai"));
    }

    // ------------------------------------------------------------------ locks

    /**
     * Takes the transaction advisory lock on one instrument's calendar until the transaction ends.
     * Every transaction that writes an active booking row of the instrument (insert, reschedule,
     * approval, check-in) takes it before that write. Without it, two transactions inserting
     * overlapping slots each find the other's uncommitted row while checking the exclusion
     * constraint, each waits for the other, and PostgreSQL aborts one as a deadlock (40P01) only
     * after {@code deadlock_timeout}; under a few hundred racing clients even five reruns were not
     * always enough. With it, racers for one instrument queue, and the second finds the first's
     * committed row: a clean 23P01 and a 409. The exclusion constraints still decide what may
     * overlap; the lock only orders the contenders. Bookings of different instruments never wait
     * for each other, and the count of a user's future bookings read under the lock holds.
     */
    default void lockSlots(UUID instrumentId) {
        lockKey(SLOT_LOCK_PREFIX + instrumentId);
    }

    /** The advisory lock on {@code key} (the count of locks taken: 1). */
    @Query("select count(*) from (select pg_advisory_xact_lock(hashtextextended(:key, 0))) l")
    long lockKey(String key);

    /**
     * {@link #lockSlots} for the instrument of a booking (nothing when there is no such booking),
     * before the booking's row is locked: the order every writer keeps (calendar, then row), so an
     * approval and a reschedule of one booking cannot wait for each other in a cycle.
     */
    @Query("select count(*) from (select pg_advisory_xact_lock(hashtextextended('" + SLOT_LOCK_PREFIX
            + "' || cast(instrument_id as text), 0)) from booking where id = :bookingId) l")
    long lockSlotsOf(UUID bookingId);

    /**
     * Key-share lock on the instrument row: bookings of one instrument do not block each other, but
     * a maintenance window being created (which locks the row for update) waits for them, and they
     * for it, so neither can miss the other. Whether the instrument may be booked now (in service or
     * idle, not archived); empty when the bound tenant has no such instrument.
     */
    @Query("select status in ('in_service', 'idle') and archived_at is null from instrument "
            + "where id = :instrumentId for key share")
    Optional<Boolean> lockInstrumentShared(UUID instrumentId);

    // ------------------------------------------------------------------ a new booking

    /**
     * The second statement of a new booking (after the locks of {@link BookingPrefetchRows#prefetch},
     * so a fresh snapshot): the user's active future bookings of the instrument and the first
     * maintenance window overlapping [start, end).
     */
    @Query("select (select count(*) from booking where instrument_id = :instrumentId "
            + "and requester_user_id = :userId and status in " + ACTIVE_SQL + " and ends_at > :now) as future_bookings, "
            + "m.maintenance_start, m.maintenance_end from (select 1) one left join lateral "
            + "(select lower(period) as maintenance_start, upper(period) as maintenance_end from maintenance_window "
            + "where instrument_id = :instrumentId and period && tstzrange(:start, :end, '[)') "
            + "order by lower(period) limit 1) m on true")
    Serialised futureAndMaintenance(UUID instrumentId, UUID userId, Instant now, Instant start, Instant end);

    /** Inserts the booking and returns it as stored; a slot in the way is the exclusion constraints' SQLState 23P01. */
    default Booking insert(NewRow r, ZoneId zone) {
        Instant decidedAt = r.decidedBy() == null ? null : r.now();
        insertRow(r.id(), r.instrumentId(), r.seriesId(), r.seriesIndex(), r.requester(), r.requesterTenant(),
                r.accountCode(), r.rateGroup(), r.assisted(), r.purpose(), r.status(), r.start(), r.end(),
                r.blockedUntil(), r.offerId(), r.now(), r.decidedBy(), decidedAt);
        return new BookingRow(r.id(), r.instrumentId(), r.status(), r.start(), r.end(), r.blockedUntil(), r.requester(),
                r.requesterTenant(), r.accountCode(), r.rateGroup(), r.assisted(), r.purpose(), r.seriesId(),
                r.seriesIndex(), r.decidedBy(), decidedAt, null, null, null, null, r.offerId(), 1, r.now(), null)
                .toBooking(zone);
    }

    /** The insert of {@link #insert}: the tenant is the transaction's, the version the column's default (1). */
    @Query("insert into booking (tenant_id, id, instrument_id, series_id, series_index, requester_user_id, "
            + "requester_tenant_id, account_code, rate_group, assisted, purpose, status, starts_at, ends_at, "
            + "blocked_until, waitlist_offer_id, created_at, updated_at, decided_by, decided_at) values (app_tenant(), "
            + ":id, :instrumentId, cast(:seriesId as uuid), cast(:seriesIndex as integer), :requester, :requesterTenant, "
            + "cast(:accountCode as text), :rateGroup, :assisted, cast(:purpose as text), :status, :start, :end, "
            + ":blockedUntil, cast(:offerId as uuid), :now, :now, cast(:decidedBy as uuid), "
            + "cast(:decidedAt as timestamptz))")
    void insertRow(UUID id, UUID instrumentId, @Nullable UUID seriesId, @Nullable Integer seriesIndex, UUID requester,
                   UUID requesterTenant, @Nullable String accountCode, String rateGroup, boolean assisted,
                   @Nullable String purpose, String status, Instant start, Instant end, Instant blockedUntil,
                   @Nullable UUID offerId, Instant now, @Nullable UUID decidedBy, @Nullable Instant decidedAt);

    /** The rate groups the instrument publishes a machine-time price for (V11, {@code service_id is null}). */
    @Query("select distinct rate_group_code from instrument_price where instrument_id = :instrumentId "
            + "and service_id is null")
    List<String> machineTimeRateGroups(UUID instrumentId);

    /** The end of the user's running no-show block on the instrument. */
    @Query("select blocked_until from booking_block where instrument_id = :instrumentId and user_id = :userId "
            + "and blocked_until > :now order by blocked_until desc limit 1")
    Optional<Instant> blockedUntil(UUID instrumentId, UUID userId, Instant now);

    /** The user's active bookings of the instrument that end after {@code now}. */
    @Query("select count(*) from booking where instrument_id = :instrumentId and requester_user_id = :userId "
            + "and status in " + ACTIVE_SQL + " and ends_at > :now")
    long futureBookings(UUID instrumentId, UUID userId, Instant now);

    /** The first maintenance window overlapping [start, end). */
    @Query("select lower(period) as starts_at, upper(period) as ends_at from maintenance_window "
            + "where instrument_id = :instrumentId and period && tstzrange(:start, :end, '[)') "
            + "order by lower(period) limit 1")
    Optional<Span> maintenanceIn(UUID instrumentId, Instant start, Instant end);

    /**
     * The first active booking in the way of [start, end) (its slot, or another user's buffer up to
     * {@code blockedUntil}), other than {@code excluding}.
     */
    @Query("select starts_at, ends_at from booking where instrument_id = :instrumentId "
            + "and status in " + ACTIVE_SQL + " and (slot && tstzrange(:start, :end, '[)') "
            + "or (requester_user_id <> :userId and blocked && tstzrange(:start, :blockedUntil, '[)'))) "
            + "and (cast(:excluding as uuid) is null or id <> :excluding) order by starts_at limit 1")
    Optional<Span> bookingInTheWay(UUID instrumentId, UUID userId, Instant start, Instant end, Instant blockedUntil,
                                   @Nullable UUID excluding);

    // ------------------------------------------------------------------ reads

    Optional<BookingRow> findById(UUID id);

    /** The booking, its row locked for update until the transaction ends. */
    @Query("select " + COLUMNS + " from booking where id = :id for update")
    Optional<BookingRow> findForUpdate(UUID id);

    /** The booking whose requester's home is {@code home}, its row locked for update. */
    @Query("select " + COLUMNS + " from booking where id = :id and requester_tenant_id = :home for update")
    Optional<BookingRow> findForUpdateOfHome(UUID id, UUID home);

    /** Bookings of an instrument overlapping [from, to); only {@code userId}'s when given. */
    @Query("select " + COLUMNS + " from booking where instrument_id = :instrumentId "
            + "and (cast(:userId as uuid) is null or requester_user_id = :userId) and starts_at < :to and ends_at > :from "
            + "order by starts_at, id limit 2000")
    List<BookingRow> forInstrument(UUID instrumentId, @Nullable UUID userId, Instant from, Instant to);

    /** The user's bookings overlapping [from, to). */
    @Query("select " + COLUMNS + " from booking where requester_user_id = :userId and starts_at < :to "
            + "and ends_at > :from order by starts_at, id limit 2000")
    List<BookingRow> mine(UUID userId, Instant from, Instant to);

    /** Active bookings (with their buffer) and maintenance windows overlapping [from, to). */
    @Query("select 'booking' as kind, starts_at, blocked_until as ends_at, status from booking "
            + "where instrument_id = :instrumentId and status in " + ACTIVE_SQL + " and starts_at < :to "
            + "and blocked_until > :from union all select 'maintenance', lower(period), upper(period), null "
            + "from maintenance_window where instrument_id = :instrumentId and period && tstzrange(:from, :to, '[)') "
            + "order by 2 limit 5000")
    List<BusyRow> busy(UUID instrumentId, Instant from, Instant to);

    /** The first active booking whose slot overlaps [start, end) (what a new maintenance window would cover). */
    @Query("select starts_at, ends_at from booking where instrument_id = :instrumentId and status in " + ACTIVE_SQL
            + " and slot && tstzrange(:start, :end, '[)') order by starts_at limit 1")
    Optional<Span> bookingIn(UUID instrumentId, Instant start, Instant end);

    /** Where an instrument sits, as access decisions need it. */
    @Introspected
    record InstrumentPlace(@Nullable UUID orgUnitId, String sharingScope) {
    }

    /** The instrument's unit and sharing scope; empty when the bound tenant has no such instrument. */
    @Query("select org_unit_id, sharing_scope from instrument where id = :instrumentId")
    Optional<InstrumentPlace> instrumentPlace(UUID instrumentId);

    // ------------------------------------------------------------------ the staff's queue ({@link StaffQueue})

    /** An instrument (not archived) as the staff pages list it, with its unit. */
    @Introspected
    record StaffInstrument(UUID id, String assetNumber, String nameZh, String nameEn, @Nullable UUID orgUnitId) {
    }

    /** A unit and its parent. */
    @Introspected
    record UnitParent(UUID id, @Nullable UUID parentId) {
    }

    /** The tenant's instruments that are not archived, by asset number. */
    @Query("select id, asset_number, name_zh, name_en, org_unit_id from instrument where archived_at is null "
            + "order by asset_number, id")
    List<StaffInstrument> staffInstruments();

    /** Every unit of the tenant with its parent. */
    @Query("select id, parent_id from org_unit")
    List<UnitParent> unitParents();

    /** How many bookings of these instruments wait for approval. */
    @Query("select count(*) from booking where status = 'requested' and instrument_id in (:instruments)")
    long countRequested(Collection<UUID> instruments);

    /** Requested bookings of these instruments, the oldest request first (then the earliest slot). */
    @Query("select " + COLUMNS + " from booking where status = 'requested' and instrument_id in (:instruments) "
            + "order by created_at, starts_at, id limit :limit offset :offset")
    List<BookingRow> requested(Collection<UUID> instruments, int offset, int limit);

    /** Approved and checked-in bookings of these instruments overlapping [from, to), by start (at most 200). */
    @Query("select " + COLUMNS + " from booking where status in ('approved', 'checked_in') "
            + "and instrument_id in (:instruments) and starts_at < :to and ends_at > :from order by starts_at, id limit 200")
    List<BookingRow> upcoming(Collection<UUID> instruments, Instant from, Instant to);

    // ------------------------------------------------------------------ state changes

    /** Approves or rejects: the decision, its maker and note. */
    @Query("update booking set status = :status, decided_by = :decidedBy, decided_at = :now, "
            + "decision_note = cast(:note as text), version = version + 1, updated_at = :now where id = :id")
    long decide(UUID id, String status, UUID decidedBy, @Nullable String note, Instant now);

    /** Cancelled by a user; the reason (when given) replaces the decision note. */
    @Query("update booking set status = 'cancelled', cancelled_by = :by, cancelled_at = :now, "
            + "decision_note = coalesce(cast(:reason as text), decision_note), version = version + 1, "
            + "updated_at = :now where id = :id")
    long cancel(UUID id, UUID by, @Nullable String reason, Instant now);

    /** Cancelled by the platform for the requester's home: no user, the note as the decision note. */
    @Query("update booking set status = 'cancelled', cancelled_by = null, cancelled_at = :now, decision_note = :note, "
            + "version = version + 1, updated_at = :now where id = :id")
    long cancelForHome(UUID id, String note, Instant now);

    /** Moves the booking; a slot in the way is the exclusion constraints' SQLState 23P01. */
    @Query("update booking set starts_at = :start, ends_at = :end, blocked_until = :blockedUntil, status = :status, "
            + "version = version + 1, updated_at = :now where id = :id")
    long reschedule(UUID id, Instant start, Instant end, Instant blockedUntil, String status, Instant now);

    @Query("update booking set status = 'checked_in', checked_in_at = :now, version = version + 1, "
            + "updated_at = :now where id = :id")
    long checkIn(UUID id, Instant now);

    @Query("update booking set status = 'no_show', no_show_at = :now, version = version + 1, "
            + "updated_at = :now where id = :id")
    long noShow(UUID id, Instant now);

    /** The user's no-shows on the instrument since their last block began. */
    @Query("select count(*) from booking where instrument_id = :instrumentId and requester_user_id = :userId "
            + "and status = 'no_show' and no_show_at > coalesce((select max(blocked_from) from booking_block "
            + "where instrument_id = :instrumentId and user_id = :userId), cast('-infinity' as timestamptz))")
    long noShowsSinceBlock(UUID instrumentId, UUID userId);

    /** Blocks the user from booking the instrument from {@code from} until {@code until} (the transaction's tenant). */
    @Query("insert into booking_block (tenant_id, id, instrument_id, user_id, no_shows, blocked_from, blocked_until) "
            + "values (app_tenant(), :id, :instrumentId, :userId, :noShows, :from, :until)")
    void block(UUID id, UUID instrumentId, UUID userId, long noShows, Instant from, Instant until);

    /**
     * A no-show overturned by staff: approved again, with when, by whom and why (the time of the no-show is
     * kept); a slot taken meanwhile is the exclusion constraints' SQLState 23P01.
     */
    @Query("update booking set status = 'approved', no_show_overturned_at = :now, no_show_overturned_by = :by, "
            + "no_show_overturn_reason = :reason, version = version + 1, updated_at = :now where id = :id")
    long overturnNoShow(UUID id, UUID by, String reason, Instant now);

    /** A block of a user from an instrument after no-shows. */
    @Introspected
    record Block(UUID id, int noShows, Instant blockedFrom, Instant blockedUntil) {
    }

    /**
     * The block that counted a no-show made at {@code noShowAt}: the user's first block on the instrument
     * that began at or after it (a block counts the no-shows since the block before it).
     */
    @Query("select id, no_shows, blocked_from, blocked_until from booking_block where instrument_id = :instrumentId "
            + "and user_id = :userId and blocked_from >= :noShowAt order by blocked_from, id limit 1")
    Optional<Block> blockCounting(UUID instrumentId, UUID userId, Instant noShowAt);

    /** Lifts a block (the overturn's audit entry keeps what it was). */
    @Query("delete from booking_block where id = :id")
    long liftBlock(UUID id);
}
