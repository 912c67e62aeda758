package org.labcommons.core.billing.charges;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The store of instruments' charge policies ({@code charge_policy}, V40), in the caller's tenant transaction. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ChargePolicyRows extends GenericRepository<ChargePolicyRows.Key, UUID> {

    /** The key of a row. */
    @MappedEntity("charge_policy")
    record Key(@Id UUID instrumentId) {
    }

    /** A stored policy. */
    @Introspected
    record Stored(UUID instrumentId, String basis, boolean reviewRequired, int cancelFreeHours, int cancelFeeBp,
                  int noShowFeeBp, long version, Instant updatedAt, @Nullable UUID updatedBy) {
    }

    @Query("select instrument_id, basis, review_required, cancel_free_hours, cancel_fee_bp, no_show_fee_bp, version, "
            + "updated_at, updated_by from charge_policy where instrument_id = :instrumentId")
    Optional<Stored> find(UUID instrumentId);

    @Query("insert into charge_policy (tenant_id, instrument_id, basis, review_required, cancel_free_hours, cancel_fee_bp, "
            + "no_show_fee_bp, version, updated_at, updated_by) values (app_tenant(), :instrumentId, :basis, :reviewRequired, "
            + ":cancelFreeHours, :cancelFeeBp, :noShowFeeBp, 1, :now, :by) on conflict (tenant_id, instrument_id) do update "
            + "set basis = excluded.basis, review_required = excluded.review_required, "
            + "cancel_free_hours = excluded.cancel_free_hours, cancel_fee_bp = excluded.cancel_fee_bp, "
            + "no_show_fee_bp = excluded.no_show_fee_bp, version = charge_policy.version + 1, "
            + "updated_at = excluded.updated_at, updated_by = excluded.updated_by")
    void upsert(UUID instrumentId, String basis, boolean reviewRequired, int cancelFreeHours, int cancelFeeBp,
                int noShowFeeBp, Instant now, UUID by);
}
