package org.labcommons.core.booking;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The store of trainings ({@code training_record}) and authorisations
 * ({@code instrument_authorisation}, one per user per instrument). Runs inside the caller's
 * tenant-bound transaction, so the RLS policies limit every statement to the bound tenant. An
 * unknown user is the foreign keys' SQLState 23503.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface QualificationRows extends GenericRepository<QualificationRows.TrainingRow, UUID> {

    /** A row of {@code training_record}. */
    @MappedEntity("training_record")
    record TrainingRow(@Id UUID id, UUID instrumentId, UUID userId, LocalDate trainedOn, @Nullable UUID trainerUserId,
                       @Nullable String notes, Instant createdAt) {
        Qualifications.Training toTraining() {
            return new Qualifications.Training(id, instrumentId, userId, trainedOn, trainerUserId, notes, createdAt);
        }
    }

    /** A row of {@code instrument_authorisation} as read back (its state is {@link Qualifications}' decision). */
    @Introspected
    record AuthorisationRow(UUID userId, Instant grantedAt, @Nullable UUID grantedBy, @Nullable Instant revokedAt,
                            @Nullable Instant lastUsedAt, @Nullable String note, long version) {
    }

    /** A training (the transaction's tenant). */
    @Query("insert into training_record (tenant_id, id, instrument_id, user_id, trained_on, trainer_user_id, notes, "
            + "created_at) values (app_tenant(), :id, :instrumentId, :userId, :trainedOn, :trainer, cast(:notes as text), "
            + ":now)")
    void insertTraining(UUID id, UUID instrumentId, UUID userId, LocalDate trainedOn, UUID trainer,
                        @Nullable String notes, Instant now);

    /** The instrument's trainings (only {@code only} when given), the latest first (at most 500). */
    @Query("select id, instrument_id, user_id, trained_on, trainer_user_id, notes, created_at from training_record "
            + "where instrument_id = :instrumentId and (cast(:only as uuid) is null or id = :only) "
            + "order by trained_on desc, created_at desc limit 500")
    List<TrainingRow> trainings(UUID instrumentId, @Nullable UUID only);

    /** Grants (again): a revoked or lapsed authorisation starts afresh. */
    @Query("insert into instrument_authorisation (tenant_id, instrument_id, user_id, granted_at, granted_by, note) "
            + "values (app_tenant(), :instrumentId, :userId, :now, :grantedBy, cast(:note as text)) "
            + "on conflict (tenant_id, instrument_id, user_id) do update set granted_at = excluded.granted_at, "
            + "granted_by = excluded.granted_by, note = excluded.note, revoked_at = null, revoked_by = null, "
            + "last_used_at = null, version = instrument_authorisation.version + 1")
    void grant(UUID instrumentId, UUID userId, Instant now, UUID grantedBy, @Nullable String note);

    /** Revokes a standing authorisation; the count revoked (0: none stands). */
    @Query("update instrument_authorisation set revoked_at = :now, revoked_by = :revokedBy, version = version + 1 "
            + "where instrument_id = :instrumentId and user_id = :userId and revoked_at is null")
    long revoke(UUID instrumentId, UUID userId, UUID revokedBy, Instant now);

    /** Records use at {@code at} (never moves the last use back). */
    @Query("update instrument_authorisation set last_used_at = :at where instrument_id = :instrumentId "
            + "and user_id = :userId and revoked_at is null and (last_used_at is null or last_used_at < :at)")
    long touch(UUID instrumentId, UUID userId, Instant at);

    /** The instrument's authorisations (only {@code userId}'s when given), the latest grant first (at most 1000). */
    @Query("select user_id, granted_at, granted_by, revoked_at, last_used_at, note, version from instrument_authorisation "
            + "where instrument_id = :instrumentId and (cast(:userId as uuid) is null or user_id = :userId) "
            + "order by granted_at desc limit 1000")
    List<AuthorisationRow> authorisations(UUID instrumentId, @Nullable UUID userId);
}
