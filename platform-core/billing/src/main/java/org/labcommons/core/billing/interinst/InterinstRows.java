package org.labcommons.core.billing.interinst;

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
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of the home's cross-institution payables ({@code interinst_payable}, V43) and the facts between
 * institutions read from the bound tenant: its ledger's balances with other institutions and its labs' revenue
 * (V38's tables, read only), its org units, and the global tenant registry (the consortium above an institution,
 * the institutions below a consortium, names). Runs inside the caller's tenant-bound transaction (RLS).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface InterinstRows extends GenericRepository<InterinstRows.Key, UUID> {

    /** The key of a row. */
    @MappedEntity("interinst_payable")
    record Key(@Id UUID chargeId) {
    }

    /** One payable of the home: a charge item of one of its people at another institution. */
    @Introspected
    @Serdeable
    record Payable(UUID providerTenantId, String providerNameZh, String providerNameEn, UUID chargeId, long seq,
                   UUID userId, UUID instrumentId, String chargeKind, Instant serviceStart, long amountFen,
                   String payerLedgerCode, @Nullable String providerPeriod, UUID transactionId, Instant createdAt, long fundFen) {
    }

    /** What the home owes one provider, summed. */
    @Introspected
    @Serdeable
    record ProviderTotal(UUID providerTenantId, String providerNameZh, String providerNameEn, long items, long amountFen) {
    }

    /** An account's balance (fen, debit positive). */
    @Introspected
    record CodeBalance(String code, long balanceFen) {
    }

    /** A tenant of the registry. */
    @Introspected
    @Serdeable
    record TenantName(UUID id, String slug, String kind, String nameZh, String nameEn, String timeZone) {
    }

    /** An org unit of the bound tenant. */
    @Introspected
    record Unit(UUID id, @Nullable UUID parentId, String kind, String nameZh, String nameEn) {
    }

    @Query("select count(*) from interinst_payable where provider_tenant_id = :provider and charge_id = :chargeId and seq = :seq")
    long exists(UUID provider, UUID chargeId, long seq);

    @Query("insert into interinst_payable (tenant_id, provider_tenant_id, charge_id, seq, user_id, instrument_id, charge_kind, "
            + "service_start, amount_fen, payer_ledger_code, provider_period, transaction_id, event_id, fund_fen) values (app_tenant(), "
            + ":provider, :chargeId, :seq, :userId, :instrumentId, :chargeKind, :serviceStart, :amountFen, :payerCode, "
            + ":providerPeriod, :transactionId, :eventId, :fundFen) on conflict do nothing")
    long insert(UUID provider, UUID chargeId, long seq, UUID userId, UUID instrumentId, String chargeKind, Instant serviceStart,
                long amountFen, String payerCode, @Nullable String providerPeriod, UUID transactionId, UUID eventId, long fundFen);

    String PAYABLES = "from interinst_payable p join tenant t on t.id = p.provider_tenant_id "
            + "where cast(:provider as uuid) is null or p.provider_tenant_id = :provider ";

    @Query("select p.provider_tenant_id, t.name_zh as provider_name_zh, t.name_en as provider_name_en, p.charge_id, p.seq, "
            + "p.user_id, p.instrument_id, p.charge_kind, p.service_start, p.amount_fen, p.payer_ledger_code, p.provider_period, "
            + "p.transaction_id, p.created_at, p.fund_fen " + PAYABLES + "order by p.created_at desc, p.charge_id, p.seq limit :limit offset :offset")
    List<Payable> payables(@Nullable UUID provider, int limit, long offset);

    @Query("select count(*) " + PAYABLES)
    long countPayables(@Nullable UUID provider);

    @Query("select p.provider_tenant_id, min(t.name_zh) as provider_name_zh, min(t.name_en) as provider_name_en, count(*) as items, "
            + "sum(p.amount_fen) as amount_fen " + PAYABLES + "group by p.provider_tenant_id order by p.provider_tenant_id")
    List<ProviderTotal> totals(@Nullable UUID provider);

    /**
     * The bound tenant's receivables from and payables to other institutions ({@code 1122.tenant.*},
     * {@code 2202.tenant.*}) at the end of {@code through}: the entries of the periods up to it, and every netting
     * clearing (kind {@code netting}) whenever posted, since a clearing settles what stood at an earlier month's end.
     */
    @Query("select a.code, coalesce(sum(e.amount_fen), 0) as balance_fen from ledger_entry e "
            + "join ledger_transaction t on t.tenant_id = e.tenant_id and t.id = e.transaction_id "
            + "join ledger_account a on a.tenant_id = e.tenant_id and a.id = e.account_id "
            + "where (a.code like '1122.tenant.%' or a.code like '2202.tenant.%') and (t.period <= :through or t.kind = 'netting') "
            + "group by a.code order by a.code")
    List<CodeBalance> betweenInstitutions(String through);

    /** The entries of one account in the periods up to {@code through} and every netting clearing (as above). */
    @Query("select t.id as transaction_id, e.line, a.code as account_code, e.amount_fen, t.period, t.posted_at, t.kind, "
            + "t.source_type, t.source_id, t.reverses, t.memo, t.actor from ledger_entry e "
            + "join ledger_transaction t on t.tenant_id = e.tenant_id and t.id = e.transaction_id "
            + "join ledger_account a on a.tenant_id = e.tenant_id and a.id = e.account_id "
            + "where a.code = :code and (t.period <= :through or t.kind = 'netting') order by t.posted_at, t.id, e.line limit 500")
    List<org.labcommons.core.billing.ledger.Entry> entriesThrough(String code, String through);

    /** The labs' revenue of the periods {@code periods} ({@code 6001.lab.*}: credits positive), by code. */
    @Query("select a.code, -coalesce(sum(e.amount_fen), 0) as balance_fen from ledger_entry e "
            + "join ledger_transaction t on t.tenant_id = e.tenant_id and t.id = e.transaction_id "
            + "join ledger_account a on a.tenant_id = e.tenant_id and a.id = e.account_id "
            + "where a.code like '6001.lab.%' and t.period = any(cast(:periods as text[])) group by a.code order by a.code")
    List<CodeBalance> labRevenue(@TypeDef(type = DataType.STRING_ARRAY) String[] periods);

    @Query("select id, parent_id, kind, name_zh, name_en from org_unit order by code")
    List<Unit> units();

    /** The consortium above a tenant (the tenant itself when it is one). */
    @Query("with recursive up(id, parent_id, kind, depth) as (select id, parent_id, kind, 0 from tenant where id = :tenant "
            + "union all select t.id, t.parent_id, t.kind, up.depth + 1 from tenant t join up on t.id = up.parent_id "
            + "where up.depth < 10) select id from up where kind = 'consortium' order by depth limit 1")
    Optional<UUID> consortiumOf(UUID tenant);

    /** The institutions below a consortium (through its networks), by id. */
    @Query("with recursive down(id, kind, depth) as (select id, kind, 0 from tenant where id = :consortium "
            + "union all select t.id, t.kind, down.depth + 1 from tenant t join down on t.parent_id = down.id "
            + "where down.depth < 10) select id from down where kind = 'institution' order by id")
    List<UUID> institutionsOf(UUID consortium);

    /** Every consortium of the registry. */
    @Query("select id from tenant where kind = 'consortium' order by id")
    List<UUID> consortia();

    @Query("select id, slug, kind, name_zh, name_en, time_zone from tenant where id = any(cast(:ids as uuid[]))")
    List<TenantName> tenants(@TypeDef(type = DataType.STRING_ARRAY) String[] ids);
}
