package org.labcommons.core.usage.booked;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.DataType;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of booked against used: usage sessions as the API shows them (each with its latest
 * correction: the effective values), their corrections, the grade C sessions made from staff records and
 * checked-in bookings, and the sweep's questions (bookings that ended with no use measured while the
 * instrument's device reported; checked-in bookings with nothing recorded). It runs inside the caller's
 * tenant-bound transaction ({@code TenantTransactions.inTenant}), so RLS limits every statement to that
 * tenant; {@link #activeInstitutions} reads the global tenant registry.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface BookedRows extends GenericRepository<BookedRows.CorrectionRow, UUID> {

    /** A session with its effective values (its latest correction's, else the measured ones) and its booking's times. */
    @Introspected
    record SessionView(UUID id, UUID instrumentId, @Nullable UUID orgUnitId, String source, String status,
                       Instant startedAt, @Nullable Instant endedAt, @Nullable UUID userId, @Nullable String identifiedBy,
                       @Nullable UUID bookingId, String link, int earlyMinutes, int overtimeMinutes, String grade,
                       @Nullable BigDecimal energyWh, @Nullable BigDecimal peakWatts, String evidence,
                       @Nullable UUID supersededBy, long version, @Nullable Instant correctedAt, Instant effStart,
                       @Nullable Instant effEnd, @Nullable UUID effUserId, @Nullable UUID effBookingId, String effLink,
                       @Nullable Instant bookingStart, @Nullable Instant bookingEnd) {
    }

    /** One correction of a session. */
    @MappedEntity("usage_session_correction")
    record CorrectionRow(@Id UUID id, Instant startedAt, Instant endedAt, @Nullable UUID userId, @Nullable UUID bookingId,
                         String reason, UUID correctedBy, Instant correctedAt) {
    }

    /** What a grade C session from a checked-in booking needs of it. */
    @Introspected
    record CheckedIn(UUID id, UUID instrumentId, UUID userId, Instant startsAt, Instant endsAt, Instant checkedInAt) {
    }

    /** What a correction or an attribution needs of the booking it names. */
    @Introspected
    record BookingFacts(UUID id, UUID instrumentId, UUID requesterUserId, Instant startsAt, Instant endsAt, String status) {
    }

    /** The effective values of a session: its latest correction's, else its own. */
    String VIEW = "select s.id, s.instrument_id, i.org_unit_id, s.source, s.status, s.started_at, s.ended_at, s.user_id, "
            + "s.identified_by, s.booking_id, s.link, s.early_minutes, s.overtime_minutes, s.grade, s.energy_wh, "
            + "s.peak_watts, cast(s.evidence as text) as evidence, s.superseded_by, s.version, c.corrected_at, "
            + "coalesce(c.started_at, s.started_at) as eff_start, "
            + "case when c.corrected_at is null then s.ended_at else c.ended_at end as eff_end, "
            + "case when c.corrected_at is null then s.user_id else c.user_id end as eff_user_id, "
            + "case when c.corrected_at is null then s.booking_id else c.booking_id end as eff_booking_id, "
            + "case when c.corrected_at is null then s.link when c.booking_id is not null then 'booked' "
            + "when c.user_id is not null then 'unbooked' else 'unattributed' end as eff_link, "
            + "b.starts_at as booking_start, b.ends_at as booking_end "
            + "from usage_session s join instrument i on i.id = s.instrument_id "
            + "left join lateral (select x.started_at, x.ended_at, x.user_id, x.booking_id, x.corrected_at "
            + "from usage_session_correction x where x.session_id = s.id order by x.corrected_at desc, x.id desc limit 1) c "
            + "on true left join booking b on b.id = case when c.corrected_at is null then s.booking_id else c.booking_id end";

    /**
     * A list's filter over {@link #VIEW}: the sessions of the instruments the caller manages (all, these, or
     * those in these units and below) or the caller's own ({@code me}); then the optional filters.
     */
    String FILTER = " where (:all or v.instrument_id = any(cast(:instruments as uuid[])) "
            + "or v.org_unit_id in (with recursive down (id) as (select id from org_unit where id = any(cast(:units as uuid[])) "
            + "union select o.id from org_unit o join down on o.parent_id = down.id) select id from down) "
            + "or (cast(:me as uuid) is not null and v.eff_user_id = :me)) "
            + "and (:superseded or v.status <> 'superseded') "
            + "and (cast(:instrumentId as uuid) is null or v.instrument_id = :instrumentId) "
            + "and (cast(:userId as uuid) is null or v.eff_user_id = :userId) "
            + "and (cast(:from as timestamptz) is null or coalesce(v.eff_end, cast('infinity' as timestamptz)) > :from) "
            + "and (cast(:to as timestamptz) is null or v.eff_start < :to) "
            + "and (cast(:link as text) is null or v.eff_link = :link)";

    @Query("select * from (" + VIEW + " where s.id = :id) v")
    Optional<SessionView> view(UUID id);

    /** A page of {@link #FILTER}'s sessions, latest first. */
    @Query("select * from (" + VIEW + ") v" + FILTER + " order by v.eff_start desc, v.id limit :limit offset :offset")
    List<SessionView> page(boolean all, @TypeDef(type = DataType.STRING_ARRAY) String[] instruments,
                           @TypeDef(type = DataType.STRING_ARRAY) String[] units, @Nullable UUID me, boolean superseded,
                           @Nullable UUID instrumentId, @Nullable UUID userId, @Nullable Instant from,
                           @Nullable Instant to, @Nullable String link, int limit, long offset);

    @Query("select count(*) from (" + VIEW + ") v" + FILTER)
    long count(boolean all, @TypeDef(type = DataType.STRING_ARRAY) String[] instruments,
               @TypeDef(type = DataType.STRING_ARRAY) String[] units, @Nullable UUID me, boolean superseded,
               @Nullable UUID instrumentId, @Nullable UUID userId, @Nullable Instant from, @Nullable Instant to,
               @Nullable String link);

    /** The session's row locked for a correction or an attribution (the instrument's staff only get here). */
    @Query("select id from usage_session where id = :id for update")
    Optional<UUID> lock(UUID id);

    @Query("select id, started_at, ended_at, user_id, booking_id, reason, corrected_by, corrected_at "
            + "from usage_session_correction where session_id = :sessionId order by corrected_at, id")
    List<CorrectionRow> corrections(UUID sessionId);

    /** A correction (the transaction's tenant); the measured values stay in {@code usage_session}. */
    @Query("insert into usage_session_correction (tenant_id, id, session_id, started_at, ended_at, user_id, booking_id, "
            + "reason, corrected_by) values (app_tenant(), :id, :sessionId, :start, :end, cast(:userId as uuid), "
            + "cast(:bookingId as uuid), :reason, :by)")
    long correct(UUID id, UUID sessionId, Instant start, Instant end, @Nullable UUID userId, @Nullable UUID bookingId,
                 String reason, UUID by);

    @Query("update usage_session set version = version + 1, updated_at = :now where id = :id")
    long touch(UUID id, Instant now);

    @Query("select id, instrument_id, requester_user_id, starts_at, ends_at, status from booking where id = :id")
    Optional<BookingFacts> booking(UUID id);

    // ------------------------------------------------------------------ grade C sessions

    /** Whether a device of the instrument reported in [start, end]. */
    @Query("select exists (select 1 from device_reading where instrument_id = :instrumentId and at >= :start "
            + "and at <= :end)")
    boolean deviceReported(UUID instrumentId, Instant start, Instant end);

    /** A closed grade C session (from a staff record or a booking); nothing when its id is there already. */
    @Query("insert into usage_session (tenant_id, id, instrument_id, source, status, started_at, ended_at, user_id, "
            + "identified_by, booking_id, link, early_minutes, overtime_minutes, grade, evidence, created_at, updated_at) "
            + "values (app_tenant(), :id, :instrumentId, :source, 'closed', :start, :end, :userId, :source, "
            + "cast(:bookingId as uuid), :link, :early, :overtime, 'C', cast(:evidence as jsonb), :now, :now) "
            + "on conflict (tenant_id, id) do nothing")
    long insertManual(UUID id, UUID instrumentId, String source, Instant start, Instant end, UUID userId,
                      @Nullable UUID bookingId, String link, int early, int overtime, String evidence, Instant now);

    /** The grade C sessions made from a booking (not yet superseded). */
    @Query("select id from usage_session where booking_id = :bookingId and source = 'booking' and status <> 'superseded'")
    List<UUID> fromBooking(UUID bookingId);

    @Query("update usage_session set status = 'superseded', superseded_by = :by, version = version + 1, "
            + "updated_at = :now where id = :id and status <> 'superseded'")
    long supersede(UUID id, UUID by, Instant now);

    /**
     * Checked-in bookings that ended in (since, dueBefore] with no staff record, no session and no reading
     * of the instrument's devices during them: each becomes a grade C session.
     */
    @Query("select b.id, b.instrument_id, b.requester_user_id as user_id, b.starts_at, b.ends_at, b.checked_in_at "
            + "from booking b where b.status = 'checked_in' and b.ends_at <= :dueBefore and b.ends_at > :since "
            + "and not exists (select 1 from usage_record u where u.booking_id = b.id) "
            + "and not exists (select 1 from usage_session s where s.booking_id = b.id and s.status <> 'superseded') "
            + "and not exists (select 1 from device_reading r where r.instrument_id = b.instrument_id "
            + "and r.at >= b.starts_at and r.at <= b.ends_at) order by b.ends_at, b.id limit :limit")
    List<CheckedIn> checkedInUnrecorded(Instant since, Instant dueBefore, int limit);

    // ------------------------------------------------------------------ no-shows

    /**
     * Approved bookings (never overturned) that ended in (since, dueBefore] while a device of their
     * instrument reported, with no session linked to them (measured, or attributed by staff) and no staff record.
     */
    @Query("select b.id from booking b where b.status = 'approved' and b.no_show_overturned_at is null "
            + "and b.ends_at <= :dueBefore and b.ends_at > :since "
            + "and exists (select 1 from device_reading r where r.instrument_id = b.instrument_id "
            + "and r.at >= b.starts_at and r.at <= b.ends_at) "
            + "and not exists (select 1 from usage_session s where s.booking_id = b.id and s.link = 'booked' "
            + "and s.status <> 'superseded') "
            + "and not exists (select 1 from usage_session_correction c join usage_session t on t.id = c.session_id "
            + "where c.booking_id = b.id and t.status <> 'superseded') "
            + "and not exists (select 1 from usage_record u where u.booking_id = b.id) "
            + "order by b.ends_at, b.id limit :limit")
    List<UUID> noShowCandidates(Instant since, Instant dueBefore, int limit);

    /** The active institutions (the global registry, no tenant bound): the sweep visits each in turn. */
    @Query("select id from tenant where status = 'active' and kind = 'institution' order by id")
    List<UUID> activeInstitutions();
}
