package org.labcommons.core.usage.sessions;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the session builder reads besides readings, in the bound tenant: an instrument's power thresholds
 * ({@code usage_policy}), the credentials the readings name ({@code person_credential}), the instrument's bookings
 * (booking's {@code booking} table, read only) and which instruments exist (catalogue's {@code instrument}).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface SessionInputRows extends GenericRepository<SessionInputRows.Policy, UUID> {

    /** The power columns of an instrument's {@code usage_policy} row (null: the default). */
    @MappedEntity("usage_policy")
    @Introspected
    record Policy(@Id UUID instrumentId, @Nullable Double onWatts, @Nullable Integer onSustainS,
                  @Nullable Integer offAfterS, @Nullable Integer mergeGapS, @Nullable Integer minSessionS) {
        PowerRule apply(PowerRule defaults) {
            return defaults.with(onWatts, onSustainS, offAfterS, mergeGapS, minSessionS);
        }
    }

    @Query("select instrument_id, cast(on_watts as float8) as on_watts, on_sustain_s, off_after_s, merge_gap_s, "
            + "min_session_s from usage_policy where instrument_id = :instrumentId")
    Optional<Policy> policy(UUID instrumentId);

    /**
     * The credentials among {@code logins} (as given) and {@code cards} (normalised: the stored value is compared
     * normalised too); each list holds at least one value.
     */
    @Query("select kind, value, user_id, valid_until from person_credential "
            + "where (kind = 'login' and value in (:logins)) "
            + "or (kind = 'card' and upper(translate(value, ' :-', '')) in (:cards))")
    List<Credential> credentials(Collection<String> logins, Collection<String> cards);

    /** The instrument's approved, checked-in and no-show bookings overlapping [from, to). */
    @Query("select id as booking_id, requester_user_id as user_id, starts_at, ends_at from booking "
            + "where instrument_id = :instrumentId and status in ('approved', 'checked_in', 'no_show') "
            + "and starts_at < :to and ends_at > :from order by starts_at, id")
    List<BookingSlot> bookings(UUID instrumentId, Instant from, Instant to);

    /** Those of {@code ids} that are instruments of the bound tenant. */
    @Query("select id from instrument where id in (:ids)")
    List<UUID> instruments(Collection<UUID> ids);
}
