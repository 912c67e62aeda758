package org.labcommons.core.billing.interinst;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The store of netting runs and their pairs ({@code netting_run}, {@code netting_pair}, V43), in the consortium tenant. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface NettingRows extends GenericRepository<NettingRows.Key, UUID> {

    /** The key of a row. */
    @MappedEntity("netting_run")
    record Key(@Id UUID id) {
    }

    /** A run with the counts of its pairs by status. */
    @Introspected
    @Serdeable
    record NettingRun(UUID id, String period, String status, @Nullable UUID startedBy, Instant startedAt, @Nullable Instant settledAt,
               long pairs, long disputed, long settled) {
    }

    /** A pair of a run. */
    @Introspected
    @Serdeable
    record NettingPair(UUID runId, String pairKey, UUID tenantA, UUID tenantB, long aReceivableFen, long aPayableFen,
                long bReceivableFen, long bPayableFen, boolean agreed, @Nullable UUID payerTenantId, long netFen, String status,
                @Nullable UUID aConfirmedBy, @Nullable Instant aConfirmedAt, @Nullable UUID bConfirmedBy,
                @Nullable Instant bConfirmedAt, @Nullable UUID aTransactionId, @Nullable UUID bTransactionId,
                @Nullable Instant settledAt) {
    }

    String RUN = "select r.id, r.period, r.status, r.started_by, r.started_at, r.settled_at, "
            + "(select count(*) from netting_pair p where p.tenant_id = r.tenant_id and p.run_id = r.id "
            + "and (cast(:involving as uuid) is null or :involving in (p.tenant_a, p.tenant_b))) as pairs, "
            + "(select count(*) from netting_pair p where p.tenant_id = r.tenant_id and p.run_id = r.id and p.status = 'disputed' "
            + "and (cast(:involving as uuid) is null or :involving in (p.tenant_a, p.tenant_b))) as disputed, "
            + "(select count(*) from netting_pair p where p.tenant_id = r.tenant_id and p.run_id = r.id and p.status = 'settled' "
            + "and (cast(:involving as uuid) is null or :involving in (p.tenant_a, p.tenant_b))) as settled from netting_run r ";

    String PAIR = "select run_id, pair_key, tenant_a, tenant_b, a_receivable_fen, a_payable_fen, b_receivable_fen, b_payable_fen, "
            + "agreed, payer_tenant_id, net_fen, status, a_confirmed_by, a_confirmed_at, b_confirmed_by, b_confirmed_at, "
            + "a_transaction_id, b_transaction_id, settled_at from netting_pair ";

    @Query(RUN + "order by r.period desc limit :limit offset :offset")
    List<NettingRun> runs(@Nullable UUID involving, int limit, long offset);

    @Query("select count(*) from netting_run")
    long countRuns();

    @Query(RUN + "where r.id = :id")
    Optional<NettingRun> run(UUID id, @Nullable UUID involving);

    @Query("select max(period) from netting_run")
    Optional<String> lastPeriod();

    @Query("select count(*) from netting_run where status = 'open'")
    long openRuns();

    @Query("insert into netting_run (tenant_id, id, period, status, started_by, settled_at) values (app_tenant(), :id, :period, "
            + ":status, :startedBy, case when :status = 'settled' then now() end)")
    long insertRun(UUID id, String period, String status, @Nullable UUID startedBy);

    @Query("insert into netting_pair (tenant_id, run_id, pair_key, tenant_a, tenant_b, a_receivable_fen, a_payable_fen, "
            + "b_receivable_fen, b_payable_fen, agreed, payer_tenant_id, net_fen, status) values (app_tenant(), :runId, :pairKey, "
            + ":tenantA, :tenantB, :aReceivable, :aPayable, :bReceivable, :bPayable, :agreed, :payer, :net, :status)")
    long insertPair(UUID runId, String pairKey, UUID tenantA, UUID tenantB, long aReceivable, long aPayable, long bReceivable,
                    long bPayable, boolean agreed, @Nullable UUID payer, long net, String status);

    @Query(PAIR + "where run_id = :runId and (cast(:involving as uuid) is null or :involving in (tenant_a, tenant_b)) order by pair_key")
    List<NettingPair> pairs(UUID runId, @Nullable UUID involving);

    @Query(PAIR + "where run_id = :runId and pair_key = :pairKey for update")
    Optional<NettingPair> lockPair(UUID runId, String pairKey);

    @Query(PAIR + "where status = 'confirmed' order by run_id, pair_key")
    List<NettingPair> confirmed();

    @Query("update netting_pair set a_confirmed_by = :user, a_confirmed_at = now() "
            + "where run_id = :runId and pair_key = :pairKey and a_confirmed_at is null")
    long confirmA(UUID runId, String pairKey, UUID user);

    @Query("update netting_pair set b_confirmed_by = :user, b_confirmed_at = now() "
            + "where run_id = :runId and pair_key = :pairKey and b_confirmed_at is null")
    long confirmB(UUID runId, String pairKey, UUID user);

    @Query("update netting_pair set status = 'confirmed' where run_id = :runId and pair_key = :pairKey and status = 'proposed' "
            + "and a_confirmed_at is not null and b_confirmed_at is not null")
    long markConfirmed(UUID runId, String pairKey);

    @Query("update netting_pair set status = 'settled', a_transaction_id = :aTx, b_transaction_id = :bTx, settled_at = now() "
            + "where run_id = :runId and pair_key = :pairKey and status = 'confirmed'")
    long markSettled(UUID runId, String pairKey, @Nullable UUID aTx, @Nullable UUID bTx);

    /** The run is settled once no pair waits for a confirmation or a clearing (disputed pairs go to the next run). */
    @Query("update netting_run r set status = 'settled', settled_at = now() where r.id = :runId and r.status = 'open' "
            + "and not exists (select 1 from netting_pair p where p.tenant_id = r.tenant_id and p.run_id = r.id "
            + "and p.status in ('proposed', 'confirmed'))")
    long settleRunIfDone(UUID runId);
}
