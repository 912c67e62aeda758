package org.labcommons.core.usage.overrides;

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
 * The store of staff interlock overrides ({@code interlock_override}, V33). Runs inside the caller's tenant-bound
 * transaction: the RLS policy limits every statement to the bound tenant.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface InterlockOverrideRows extends GenericRepository<InterlockOverrideRows.Row, UUID> {

    /** A row of {@code interlock_override}. */
    @MappedEntity("interlock_override")
    record Row(UUID tenantId, @Id UUID id, UUID instrumentId, String action, @Nullable Instant until, String reason,
               UUID createdBy, Instant createdAt, @Nullable Instant revokedAt) {
    }

    /** A new override of the bound tenant (its tenant from {@code app_tenant()}). */
    @Query("insert into interlock_override (tenant_id, id, instrument_id, action, until, reason, created_by, created_at) "
            + "values (app_tenant(), :id, :instrumentId, :action, cast(:until as timestamptz), :reason, :createdBy, :now)")
    void insert(UUID id, UUID instrumentId, String action, @Nullable Instant until, String reason, UUID createdBy,
                Instant now);

    /** Whether the bound tenant has the instrument. */
    @Query("select 1 from instrument where id = :instrumentId")
    Optional<Integer> instrument(UUID instrumentId);

    /** One override of an instrument. */
    @Query("select * from interlock_override where instrument_id = :instrumentId and id = :id")
    Optional<Row> find(UUID instrumentId, UUID id);

    /** An instrument's overrides, newest first; revoked ones and ones whose {@code until} passed only when asked. */
    @Query("select * from interlock_override where instrument_id = :instrumentId and (:all or (revoked_at is null "
            + "and (until is null or until > :now))) order by created_at desc, id limit 200")
    List<Row> list(UUID instrumentId, boolean all, Instant now);

    /** Revokes an override not yet revoked; the rows changed. */
    @Query("update interlock_override set revoked_at = :now where instrument_id = :instrumentId and id = :id "
            + "and revoked_at is null")
    long revoke(UUID instrumentId, UUID id, Instant now);
}
