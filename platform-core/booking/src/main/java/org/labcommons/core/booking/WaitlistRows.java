package org.labcommons.core.booking;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The store of the waitlist ({@code booking_waitlist}, {@code waitlist_offer}): places in the queue
 * ({@link Waitlist}) and the offers that hand a freed slot on ({@link WaitlistOffers}). Call it
 * inside {@code TenantTransactions.inTenant}: it joins that transaction's connection, so the RLS
 * policies limit every statement to the bound tenant and its row locks ({@code for update ... skip
 * locked}) last until that transaction ends.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface WaitlistRows extends GenericRepository<WaitlistRow, UUID> {

    /** A waiting entry whose wanted slot is free. */
    @Introspected
    record Waiting(UUID id, UUID userId, Instant startsAt, Instant endsAt, long version) {
        /** Its version after the offer. */
        long nextVersion() {
            return version + 1;
        }
    }

    /** An offer with what its entry asked for. */
    @Introspected
    record OfferRow(UUID id, UUID waitlistId, UUID instrumentId, Instant startsAt, Instant endsAt, String status,
                    Instant expiresAt, @Nullable String accountCode, @Nullable String purpose, boolean assisted) {
    }

    /** An offer as its entry shows it. */
    @Introspected
    record OfferLine(UUID id, UUID waitlistId, UUID instrumentId, Instant startsAt, Instant endsAt, String status,
                     Instant expiresAt, @Nullable UUID bookingId) {
        Waitlist.Offer toOffer(ZoneId zone) {
            return new Waitlist.Offer(id, waitlistId, instrumentId, Booking.at(startsAt, zone), Booking.at(endsAt, zone),
                    status, Booking.at(expiresAt, zone), bookingId);
        }
    }

    /** The time zone of the bound tenant. */
    @Query("select time_zone from tenant where id = app_tenant()")
    Optional<String> tenantZone();

    /** The bound tenant's time zone, the times of its bookings are shown in. */
    default ZoneId zone() {
        return ZoneId.of(tenantZone().orElse("Asia/Shanghai"));
    }

    /** An offer past its expiry, in some tenant. */
    @Introspected
    record DueOffer(UUID tenantId, UUID offerId) {
    }

    /**
     * Open offers past their expiry at {@code now}, in every tenant (at most {@code limit}): the
     * reviewed function {@code waitlist_offers_expired} answers ids only, with no tenant bound.
     */
    @Query("select tenant_id, offer_id from waitlist_offers_expired(:now, :limit)")
    List<DueOffer> offersExpired(Instant now, int limit);

    /**
     * The first person waiting (oldest entry first) whose wanted slot overlaps [freedStart,
     * freedEnd), starts after {@code now} and is entirely free of active bookings; the entry is
     * locked (entries locked by another transaction are skipped).
     */
    @Query("select w.id, w.user_id, w.starts_at, w.ends_at, w.version from booking_waitlist w "
            + "where w.instrument_id = :instrumentId and w.status = 'waiting' and w.starts_at < :freedEnd "
            + "and w.ends_at > :freedStart and w.starts_at > :now and not exists (select 1 from booking b "
            + "where b.instrument_id = w.instrument_id and b.status in " + BookingRows.ACTIVE_SQL
            + " and b.slot && tstzrange(w.starts_at, w.ends_at, '[)')) "
            + "order by w.created_at, w.seq limit 1 for update of w skip locked")
    Optional<Waiting> nextWaiting(UUID instrumentId, Instant freedStart, Instant freedEnd, Instant now);

    /** An offer of the entry's wanted slot (the transaction's tenant). */
    @Query("insert into waitlist_offer (tenant_id, id, waitlist_id, instrument_id, user_id, starts_at, ends_at, "
            + "freed_booking_id, offered_at, expires_at) values (app_tenant(), :id, :waitlistId, :instrumentId, :userId, "
            + ":start, :end, cast(:freedBooking as uuid), :now, :expires)")
    void insertOffer(UUID id, UUID waitlistId, UUID instrumentId, UUID userId, Instant start, Instant end,
                     @Nullable UUID freedBooking, Instant now, Instant expires);

    @Query("update booking_waitlist set status = 'offered', version = :version, updated_at = :now where id = :id")
    long markOffered(UUID id, long version, Instant now);

    /** A new place in the queue; a second wait for the same slot is the unique index's SQLState 23505. */
    @Query("insert into booking_waitlist (tenant_id, id, instrument_id, user_id, user_tenant_id, starts_at, ends_at, "
            + "account_code, purpose, assisted, created_at, updated_at) values (app_tenant(), :id, :instrumentId, "
            + ":userId, :userTenant, :start, :end, cast(:accountCode as text), cast(:purpose as text), :assisted, "
            + ":now, :now)")
    void join(UUID id, UUID instrumentId, UUID userId, UUID userTenant, Instant start, Instant end,
              @Nullable String accountCode, @Nullable String purpose, boolean assisted, Instant now);

    @Query("update waitlist_offer set status = 'accepted', decided_at = :now, booking_id = :bookingId where id = :id")
    long accepted(UUID id, UUID bookingId, Instant now);

    @Query("update waitlist_offer set status = :status, decided_at = :now where id = :id")
    long closeOffer(UUID id, String status, Instant now);

    @Query("update booking_waitlist set status = :status, version = version + 1, updated_at = :now where id = :id")
    long close(UUID id, String status, Instant now);

    /** The offer, locked; empty when absent or (with {@code userId}) someone else's. {@code userId} null: anyone's (the sweep). */
    @Query("select o.id, o.waitlist_id, o.instrument_id, o.starts_at, o.ends_at, o.status, o.expires_at, "
            + "w.account_code, w.purpose, w.assisted from waitlist_offer o "
            + "join booking_waitlist w on w.tenant_id = o.tenant_id and w.id = o.waitlist_id "
            + "where o.id = :id and (cast(:userId as uuid) is null or o.user_id = :userId) for update of o")
    Optional<OfferRow> offerForUpdate(UUID id, @Nullable UUID userId);

    /** The latest offer of each of the user's entries (only {@code only}'s when given). */
    @Query("select distinct on (o.waitlist_id) o.id, o.waitlist_id, o.instrument_id, o.starts_at, o.ends_at, o.status, "
            + "o.expires_at, o.booking_id from waitlist_offer o where o.user_id = :userId "
            + "and (cast(:only as uuid) is null or o.waitlist_id = :only) order by o.waitlist_id, o.offered_at desc")
    List<OfferLine> latestOffers(UUID userId, @Nullable UUID only);

    /** The user's entries (only {@code only} when given), newest first. */
    @Query("select id, instrument_id, user_id, starts_at, ends_at, status, created_at from booking_waitlist "
            + "where user_id = :userId and (cast(:only as uuid) is null or id = :only) order by created_at desc limit 500")
    List<WaitlistRow> entryRows(UUID userId, @Nullable UUID only);

    /** The user's entries (only {@code only} when given), newest first, each with its latest offer. */
    default List<Waitlist.Entry> entries(UUID userId, @Nullable UUID only, ZoneId zone) {
        Map<UUID, Waitlist.Offer> offers = latestOffers(userId, only).stream()
                .collect(Collectors.toMap(OfferLine::waitlistId, o -> o.toOffer(zone)));
        return entryRows(userId, only).stream().map(e -> e.toEntry(offers.get(e.id()), zone)).toList();
    }
}
