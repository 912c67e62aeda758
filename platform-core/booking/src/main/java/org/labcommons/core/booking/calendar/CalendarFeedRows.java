package org.labcommons.core.booking.calendar;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import org.labcommons.core.booking.BookingPeopleRows;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of calendar feeds ({@code calendar_feed}, only the token's SHA-256 kept) and of what a
 * feed shows (the bookings in its window, the user's bookings elsewhere as home keeps them).
 * Runs inside {@code TenantTransactions.inTenant}: a feed request binds the token's tenant, so the
 * RLS policies keep every read to that tenant (the owner's membership included: {@code trusted_issuer}
 * and {@code role_assignment} show only the bound tenant's rows).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface CalendarFeedRows extends GenericRepository<CalendarFeedRows.Row, UUID> {

    /** A row of {@code calendar_feed}; {@code tenantId} must be the bound tenant (the policy refuses any other). */
    @MappedEntity("calendar_feed")
    record Row(UUID tenantId, @Id UUID id, UUID userId, String kind, @Nullable UUID instrumentId, byte[] tokenHash,
               Instant createdAt, @Nullable Instant rotatedAt, @Nullable Instant revokedAt) {
    }

    /** A booking in a feed: its times, state and version, the instrument's names, who booked and why. */
    @Introspected
    record Event(UUID id, String status, Instant startsAt, Instant endsAt, Instant updatedAt, long version,
                 String nameZh, String nameEn, String requesterName, @Nullable String purpose) {
    }

    /** A booking of the user's at another institution, as this (home) tenant keeps it. */
    @Introspected
    record Elsewhere(UUID bookingId, String status, Instant startsAt, Instant endsAt, Instant updatedAt,
                     long aggregateVersion, @Nullable String instrumentNameZh, @Nullable String instrumentNameEn,
                     String ownerNameZh, String ownerNameEn) {
    }

    @Introspected
    record Names(String nameZh, String nameEn) {
    }

    Row save(Row row);

    /** The user's live feeds, oldest first. */
    @Query("select * from calendar_feed where user_id = :userId and revoked_at is null order by created_at, id")
    List<Row> live(UUID userId);

    Optional<Row> findByIdAndUserIdAndRevokedAtIsNull(UUID id, UUID userId);

    /**
     * The live feed of this token hash whose owner still belongs to the bound tenant (the rule
     * {@link BookingPeopleRows#MAY_BOOK} states: the tenant trusts the owner's issuer, or the owner
     * holds a role there). A feed of someone who left finds nothing, as a revoked one does.
     */
    @Query("select f.* from calendar_feed f join user_account u on u.id = f.user_id "
            + "where f.token_hash = :tokenHash and f.revoked_at is null and " + BookingPeopleRows.MAY_BOOK)
    Optional<Row> liveOfMember(byte[] tokenHash);

    /** Revokes the user's live feed of this target (kind and instrument), if any. */
    @Query("update calendar_feed set revoked_at = :at where user_id = :userId and kind = :kind "
            + "and instrument_id is not distinct from cast(:instrumentId as uuid) and revoked_at is null")
    long revokeTarget(UUID userId, String kind, @Nullable UUID instrumentId, Instant at);

    /** A new token hash for one of the user's live feeds; 0 when it is not theirs. */
    @Query("update calendar_feed set token_hash = :tokenHash, rotated_at = :at "
            + "where id = :id and user_id = :userId and revoked_at is null")
    long rotate(UUID id, UUID userId, byte[] tokenHash, Instant at);

    /** Revokes one of the user's live feeds; 0 when it is not theirs (or revoked already). */
    @Query("update calendar_feed set revoked_at = :at where id = :id and user_id = :userId and revoked_at is null")
    long revoke(UUID id, UUID userId, Instant at);

    // ------------------------------------------------------------------ what a feed shows

    @Query("select exists (select 1 from tenant where id = :tenantId and status = 'active')")
    boolean tenantActive(UUID tenantId);

    @Query("select sharing_scope from instrument where id = :instrumentId")
    Optional<String> sharingScope(UUID instrumentId);

    @Query("select name_zh, name_en from instrument where id = :instrumentId")
    Optional<Names> instrumentNames(UUID instrumentId);

    String EVENTS = "select b.id, b.status, b.starts_at, b.ends_at, b.updated_at, b.version, i.name_zh, i.name_en, "
            + "coalesce(u.display_name, u.email, '') as requester_name, b.purpose from booking b "
            + "join instrument i on i.id = b.instrument_id join user_account u on u.id = b.requester_user_id ";
    String WINDOW = " and b.ends_at > :from and b.starts_at < :to order by b.starts_at, b.id limit :limit";

    /** The user's bookings overlapping [from, to), by start. */
    @Query(EVENTS + "where b.requester_user_id = :userId" + WINDOW)
    List<Event> bookingsOf(UUID userId, Instant from, Instant to, int limit);

    /** The instrument's bookings overlapping [from, to), by start. */
    @Query(EVENTS + "where b.instrument_id = :instrumentId" + WINDOW)
    List<Event> bookingsAt(UUID instrumentId, Instant from, Instant to, int limit);

    /** The user's bookings at other institutions overlapping [from, to) (kept by the federation saga). */
    @Query("select booking_id, status, starts_at, ends_at, updated_at, aggregate_version, instrument_name_zh, "
            + "instrument_name_en, owner_name_zh, owner_name_en from outside_booking where requester_user_id = :userId "
            + "and ends_at > :from and starts_at < :to order by starts_at, booking_id limit :limit")
    List<Elsewhere> elsewhere(UUID userId, Instant from, Instant to, int limit);
}
