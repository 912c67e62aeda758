package org.labcommons.federation.booking;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of the home's linked records of bookings elsewhere ({@code outside_booking}), and of
 * the few facts the saga's home step reads besides: whether a user still belongs to the home (in
 * the home's transaction) and the owner's published instrument names and hourly price (in the
 * owner's). Call it inside {@code TenantTransactions.inTenant}: row level security limits every
 * statement to the bound tenant.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OutsideBookingRows extends GenericRepository<OutsideBookingRows.Row, UUID> {

    /** A linked record, its times as stored (UTC instants). */
    @MappedEntity("outside_booking")
    record Row(@Id UUID bookingId, UUID ownerTenantId, String ownerNameZh, String ownerNameEn, UUID instrumentId,
               @Nullable String instrumentNameZh, @Nullable String instrumentNameEn, UUID requesterUserId,
               Instant startsAt, Instant endsAt, String status, String homeStatus, @Nullable String refusalReason,
               String rateGroup, @Nullable String accountCode, @Nullable Long pricePerHourFen,
               @Nullable Long estimatedCostFen, long aggregateVersion, Instant lastEventAt, Instant updatedAt) {
    }

    /** How many records a filter matches, and the estimated cost of those that count (held, linked). */
    @Introspected
    record Totals(long total, long cost) {
    }

    /** A record for its requester's "my bookings" list, with the owner's slug (null when the owner is not active). */
    @Introspected
    record Listed(UUID bookingId, UUID ownerTenantId, @Nullable String slug, String ownerNameZh, String ownerNameEn,
                  UUID instrumentId, @Nullable String instrumentNameZh, @Nullable String instrumentNameEn,
                  Instant startsAt, Instant endsAt, String status, String homeStatus, @Nullable String refusalReason,
                  String rateGroup, @Nullable Long estimatedCostFen) {
    }

    /** Something a filter can choose: an id and its labels. */
    @Introspected
    record Label(UUID id, @Nullable String label, @Nullable String labelEn) {
    }

    /** Names as a catalogue row holds them. */
    @Introspected
    record Names(@Nullable String nameZh, @Nullable String nameEn) {
    }

    /** The filter of {@link #totals} and {@link #page}; a null parameter matches any. */
    String FILTER = " where (cast(:userId as uuid) is null or requester_user_id = :userId) "
            + "and (cast(:status as text) is null or status = :status) "
            + "and (cast(:homeStatus as text) is null or home_status = :homeStatus) "
            + "and (cast(:account as text) is null or account_code = :account) "
            + "and (cast(:from as timestamptz) is null or ends_at > :from) "
            + "and (cast(:to as timestamptz) is null or starts_at < :to) "
            + "and (cast(:owner as uuid) is null or owner_tenant_id = :owner)";

    /** The record, locked until the transaction ends. */
    @Query("select * from outside_booking where booking_id = :bookingId for update")
    Optional<Row> lock(UUID bookingId);

    /**
     * Creates the record, or updates it when {@code aggregateVersion} is newer than the stored one:
     * 1, or 0 when the stored version is as new or newer.
     */
    @Query("insert into outside_booking (tenant_id, booking_id, owner_tenant_id, owner_name_zh, owner_name_en, "
            + "instrument_id, instrument_name_zh, instrument_name_en, requester_user_id, starts_at, ends_at, status, "
            + "home_status, refusal_reason, rate_group, account_code, price_per_hour_fen, estimated_cost_fen, "
            + "aggregate_version, last_event_id, last_event_at, created_at, updated_at) values (app_tenant(), "
            + ":bookingId, :ownerTenantId, :ownerNameZh, :ownerNameEn, :instrumentId, :instrumentNameZh, "
            + ":instrumentNameEn, :requesterUserId, :startsAt, :endsAt, :status, :homeStatus, :refusalReason, "
            + ":rateGroup, :accountCode, cast(:pricePerHourFen as bigint), cast(:estimatedCostFen as bigint), "
            + ":aggregateVersion, :lastEventId, :lastEventAt, now(), now()) "
            + "on conflict (tenant_id, booking_id) do update set owner_name_zh = excluded.owner_name_zh, "
            + "owner_name_en = excluded.owner_name_en, instrument_name_zh = excluded.instrument_name_zh, "
            + "instrument_name_en = excluded.instrument_name_en, starts_at = excluded.starts_at, "
            + "ends_at = excluded.ends_at, status = excluded.status, home_status = excluded.home_status, "
            + "refusal_reason = excluded.refusal_reason, rate_group = excluded.rate_group, "
            + "account_code = excluded.account_code, price_per_hour_fen = excluded.price_per_hour_fen, "
            + "estimated_cost_fen = excluded.estimated_cost_fen, aggregate_version = excluded.aggregate_version, "
            + "last_event_id = excluded.last_event_id, last_event_at = excluded.last_event_at, updated_at = now() "
            + "where outside_booking.aggregate_version < excluded.aggregate_version")
    int upsert(UUID bookingId, UUID ownerTenantId, String ownerNameZh, String ownerNameEn, UUID instrumentId,
               @Nullable String instrumentNameZh, @Nullable String instrumentNameEn, UUID requesterUserId,
               Instant startsAt, Instant endsAt, String status, String homeStatus, @Nullable String refusalReason,
               String rateGroup, @Nullable String accountCode, @Nullable Long pricePerHourFen,
               @Nullable Long estimatedCostFen, long aggregateVersion, UUID lastEventId, Instant lastEventAt);

    @Query("select count(*) as total, coalesce(sum(estimated_cost_fen) filter (where status in ('requested', "
            + "'approved', 'checked_in', 'no_show') and home_status = 'linked'), 0) as cost from outside_booking" + FILTER)
    Totals totals(@Nullable UUID userId, @Nullable String status, @Nullable String homeStatus, @Nullable String account,
                  @Nullable Instant from, @Nullable Instant to, @Nullable UUID owner);

    /** A page of the records a filter matches, latest start first. */
    @Query("select * from outside_booking" + FILTER + " order by starts_at desc, booking_id limit :limit offset :offset")
    List<Row> page(@Nullable UUID userId, @Nullable String status, @Nullable String homeStatus, @Nullable String account,
                   @Nullable Instant from, @Nullable Instant to, @Nullable UUID owner, int limit, long offset);

    /** The record, if it is {@code userId}'s (any requester's when null). */
    @Query("select * from outside_booking where booking_id = :bookingId "
            + "and (cast(:userId as uuid) is null or requester_user_id = :userId)")
    Optional<Row> find(UUID bookingId, @Nullable UUID userId);

    long countByRequesterUserId(UUID requesterUserId);

    /** One requester's records: those not ended at {@code now} first (soonest first), then the ended (latest first). */
    @Query("select o.booking_id, o.owner_tenant_id, t.slug, o.owner_name_zh, o.owner_name_en, o.instrument_id, "
            + "o.instrument_name_zh, o.instrument_name_en, o.starts_at, o.ends_at, o.status, o.home_status, "
            + "o.refusal_reason, o.rate_group, o.estimated_cost_fen "
            + "from outside_booking o left join tenant t on t.id = o.owner_tenant_id and t.status = 'active' "
            + "where o.requester_user_id = :userId order by (o.ends_at <= :now), "
            + "case when o.ends_at > :now then o.starts_at end asc, o.starts_at desc, o.booking_id "
            + "limit :limit offset :offset")
    List<Listed> upcomingFirst(UUID userId, Instant now, int limit, long offset);

    /** The institutions where the home's people hold bookings, by name (at most 500). */
    @Query("select owner_tenant_id as id, max(owner_name_zh) as label, max(owner_name_en) as label_en "
            + "from outside_booking group by owner_tenant_id order by 2 limit 500")
    List<Label> owners();

    /** The home's people who hold bookings elsewhere: display name, else e-mail, else id (at most 1000). */
    @Query("select r.requester_user_id as id, coalesce(u.display_name, u.email, r.requester_user_id::text) as label, "
            + "u.email as label_en from (select distinct requester_user_id from outside_booking) r "
            + "left join user_account u on u.id = r.requester_user_id order by 2 limit 1000")
    List<Label> requesters();

    /** Whether the user still signs in through an issuer the bound home trusts and has enabled. */
    @Query("select exists (select 1 from user_account u join trusted_issuer ti on ti.issuer = u.issuer "
            + "where u.id = :userId and ti.enabled)")
    boolean memberActive(UUID userId);

    /** The bound owner's names of an instrument. */
    @Query("select name_zh, name_en from instrument where id = :instrumentId")
    Optional<Names> instrumentNames(UUID instrumentId);

    /** The bound owner's published machine-time price per hour of an instrument for a rate group. */
    @Query("select amount_fen from instrument_price where instrument_id = :instrumentId and service_id is null "
            + "and rate_group_code = :rateGroup and unit = 'hour'")
    Optional<Long> hourlyPrice(UUID instrumentId, String rateGroup);
}
