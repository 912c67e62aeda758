package org.labcommons.core.usage.web;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * What the usage pages read (read only): the last reading and the open session of instruments,
 * an instrument's readings, sessions and bookings of a day, the unattributed sessions of the
 * instruments a person manages and a person's own sessions. Superseded sessions are never shown.
 * Runs inside {@code TenantTransactions.inTenant} of the instruments' tenant (RLS).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UsagePageRows extends GenericRepository<UsagePageRows.SessionRow, UUID> {

    /** The columns of {@code usage_session} the pages read (the repository's entity). */
    @MappedEntity("usage_session")
    record SessionRow(@Id UUID id, UUID instrumentId, String source, String status, Instant startedAt,
                      @Nullable Instant endedAt, @Nullable UUID userId, @Nullable UUID bookingId, String link,
                      String grade) {
    }

    /** An instrument's latest reading. */
    @Introspected
    record LastSeen(UUID instrumentId, Instant at, @Nullable BigDecimal watts) {
    }

    /** A session with its person's name and its instrument's names. */
    @Introspected
    record Session(UUID id, UUID instrumentId, String instrumentNameZh, @Nullable String instrumentNameEn,
                   String source, String status, Instant startedAt, @Nullable Instant endedAt, @Nullable UUID userId,
                   @Nullable String userName, @Nullable String identifiedBy, @Nullable UUID bookingId, String link,
                   String grade, @Nullable BigDecimal energyWh) {
    }

    /** A booking with its person's name. */
    @Introspected
    record BookingBand(UUID id, UUID instrumentId, String status, Instant startsAt, Instant endsAt,
                       UUID requesterUserId, @Nullable String userName) {
    }

    /** One power sample. */
    @Introspected
    record Sample(Instant at, BigDecimal watts) {
    }

    /** Minutes of use of an instrument in a window. */
    @Introspected
    record Minutes(UUID instrumentId, long minutes) {
    }

    /** An instrument's names. */
    @Introspected
    record Names(String nameZh, @Nullable String nameEn) {
    }

    @Query("select name_zh, name_en from instrument where id = :instrument")
    java.util.Optional<Names> names(UUID instrument);

    @Query("select instrument_id from usage_session where id = :id and status <> 'superseded'")
    java.util.Optional<UUID> sessionInstrument(UUID id);

    /**
     * Sessions with their effective values: a staff correction or attribution (its latest row in
     * {@code usage_session_correction}) wins over the measured values, as in the sessions API (booked.BookedRows).
     */
    String EFFECTIVE = "(select s.id, s.instrument_id, s.source, s.status, "
            + "coalesce(c.started_at, s.started_at) as started_at, "
            + "case when c.corrected_at is null then s.ended_at else c.ended_at end as ended_at, "
            + "case when c.corrected_at is null then s.user_id else c.user_id end as user_id, "
            + "s.identified_by, "
            + "case when c.corrected_at is null then s.booking_id else c.booking_id end as booking_id, "
            + "case when c.corrected_at is null then s.link when c.booking_id is not null then 'booked' "
            + "when c.user_id is not null then 'unbooked' else 'unattributed' end as link, "
            + "s.grade, s.energy_wh from usage_session s left join lateral (select x.started_at, x.ended_at, x.user_id, "
            + "x.booking_id, x.corrected_at from usage_session_correction x where x.session_id = s.id "
            + "order by x.corrected_at desc, x.id desc limit 1) c on true) ";

    String SESSION = "select s.id, s.instrument_id, i.name_zh as instrument_name_zh, i.name_en as instrument_name_en, "
            + "s.source, s.status, s.started_at, s.ended_at, s.user_id, u.display_name as user_name, s.identified_by, "
            + "s.booking_id, s.link, s.grade, s.energy_wh "
            + "from " + EFFECTIVE + "s join instrument i on i.id = s.instrument_id "
            + "left join user_account u on u.id = s.user_id ";

    @Query("select distinct on (instrument_id) instrument_id, at, watts from device_reading "
            + "where instrument_id in (:instruments) order by instrument_id, at desc")
    List<LastSeen> lastSeen(Collection<UUID> instruments);

    @Query(SESSION + "where s.status = 'open' and s.instrument_id in (:instruments) order by s.started_at desc")
    List<Session> open(Collection<UUID> instruments);

    @Query(SESSION + "where s.status <> 'superseded' and s.instrument_id = :instrument "
            + "and s.started_at < :to and (s.ended_at is null or s.ended_at > :from) order by s.started_at, s.id")
    List<Session> sessions(UUID instrument, Instant from, Instant to);

    @Query("select instrument_id, cast(coalesce(sum(extract(epoch from least(coalesce(ended_at, :now), :to) "
            + "- greatest(started_at, :from))), 0) / 60 as bigint) as minutes from " + EFFECTIVE + "s "
            + "where status <> 'superseded' and instrument_id in (:instruments) and started_at < :to "
            + "and (ended_at is null or ended_at > :from) and started_at < :now group by instrument_id")
    List<Minutes> minutes(Collection<UUID> instruments, Instant from, Instant to, Instant now);

    @Query("select at, watts from device_reading where instrument_id = :instrument and watts is not null "
            + "and at >= :from and at < :to order by at limit 20000")
    List<Sample> samples(UUID instrument, Instant from, Instant to);

    @Query("select b.id, b.instrument_id, b.status, b.starts_at, b.ends_at, b.requester_user_id, u.display_name as user_name "
            + "from booking b left join user_account u on u.id = b.requester_user_id "
            + "where b.instrument_id = :instrument and b.status in ('requested', 'approved', 'checked_in', 'no_show') "
            + "and b.starts_at < :to and b.ends_at > :from order by b.starts_at, b.id")
    List<BookingBand> bookings(UUID instrument, Instant from, Instant to);

    @Query("select distinct on (b.instrument_id) b.id, b.instrument_id, b.status, b.starts_at, b.ends_at, "
            + "b.requester_user_id, u.display_name as user_name "
            + "from booking b left join user_account u on u.id = b.requester_user_id "
            + "where b.instrument_id in (:instruments) and b.status in ('requested', 'approved', 'checked_in') "
            + "and b.ends_at > :now order by b.instrument_id, b.starts_at, b.id")
    List<BookingBand> next(Collection<UUID> instruments, Instant now);

    @Query(SESSION + "where s.link = 'unattributed' and s.status <> 'superseded' and s.instrument_id in (:instruments) "
            + "order by s.started_at desc, s.id limit :limit offset :offset")
    List<Session> unattributed(Collection<UUID> instruments, int offset, int limit);

    @Query("select count(*) from " + EFFECTIVE + "s where link = 'unattributed' and status <> 'superseded' "
            + "and instrument_id in (:instruments)")
    long countUnattributed(Collection<UUID> instruments);

    @Query(SESSION + "where s.user_id = :userId and s.status <> 'superseded' "
            + "order by s.started_at desc, s.id limit :limit offset :offset")
    List<Session> mine(UUID userId, int offset, int limit);

    @Query("select count(*) from " + EFFECTIVE + "s where user_id = :userId and status <> 'superseded'")
    long countMine(UUID userId);
}
