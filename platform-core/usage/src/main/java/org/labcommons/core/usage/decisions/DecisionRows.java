package org.labcommons.core.usage.decisions;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The store of {@code access_decision} (V33): the bridge's access decisions, per tenant (RLS). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DecisionRows extends GenericRepository<DecisionRows.Row, UUID> {

    /** One decision. */
    @MappedEntity("access_decision")
    record Row(@Id UUID requestId, UUID tenantId, UUID deviceId, @Nullable UUID instrumentId, String method, String purpose,
               @Nullable UUID userId, String decision, @Nullable String reason, @Nullable UUID bookingId,
               @Nullable UUID sessionId, Instant decidedAt, @Nullable Long viewVersion) {
    }

    /** Inserts a decision in the bound tenant; a request already stored is left as it is (1 inserted, 0 seen before). */
    @Query("insert into access_decision (tenant_id, request_id, device_id, instrument_id, method, purpose, user_id, decision, "
            + "reason, booking_id, session_id, decided_at, view_version) values (app_tenant(), :requestId, :deviceId, "
            + ":instrumentId, :method, :purpose, :userId, :decision, :reason, :bookingId, :sessionId, :decidedAt, :viewVersion) "
            + "on conflict (tenant_id, request_id) do nothing")
    long insert(UUID requestId, UUID deviceId, @Nullable UUID instrumentId, String method, String purpose, @Nullable UUID userId,
                String decision, @Nullable String reason, @Nullable UUID bookingId, @Nullable UUID sessionId, Instant decidedAt,
                @Nullable Long viewVersion);

    /** An instrument's decisions, newest first. */
    @Query("select * from access_decision where instrument_id = :instrumentId order by decided_at desc, request_id "
            + "limit :limit offset :offset")
    List<Row> forInstrument(UUID instrumentId, int offset, int limit);

    @Query("select count(*) from access_decision where instrument_id = :instrumentId")
    long countForInstrument(UUID instrumentId);
}
