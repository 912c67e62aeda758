package org.labcommons.core.billing.ledger;

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

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of the journal, {@code ledger_transaction} and {@code ledger_entry} (V38), per tenant (RLS): insert and
 * read only (the runtime role may do nothing else; the database checks balance and periods).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface JournalRows extends GenericRepository<JournalRows.Row, UUID> {

    /** One transaction. */
    @MappedEntity("ledger_transaction")
    record Row(@Id UUID id, String idempotencyKey, String period, Instant postedAt, String kind,
               @Nullable String sourceType, @Nullable String sourceId, @Nullable UUID reverses, @Nullable String memo,
               String actor) {
    }

    /** One entry of a transaction. */
    @Introspected
    record Line(int line, String accountCode, long amountFen) {
    }

    /** An account's balance over the entries of the periods up to a month. */
    @Introspected
    @io.micronaut.serde.annotation.Serdeable
    record Balance(String code, String kind, String nameZh, String nameEn, long balanceFen) {
    }

    /**
     * Adds a transaction to the bound tenant unless its idempotency key is taken (1 added, 0 taken: the caller reads
     * the first one). Its period is the month of {@code accountingAt} (the business date: a charge's service;
     * null or later than {@code postedAt}: {@code postedAt}) in the tenant's zone, or the month after the last closed
     * period when that is later (so a posting never goes into a closed month); the database makes the period's row
     * and refuses a closed one.
     */
    @Query("insert into ledger_transaction (tenant_id, id, idempotency_key, period, posted_at, kind, source_type, "
            + "source_id, reverses, memo, actor) select app_tenant(), cast(:id as uuid), cast(:idempotencyKey as text), "
            + "greatest(to_char(least(coalesce(cast(:accountingAt as timestamptz), cast(:postedAt as timestamptz)), "
            + "cast(:postedAt as timestamptz)) at time zone t.time_zone, 'YYYY-MM'), "
            + "coalesce((select to_char(to_date(max(p.period), 'YYYY-MM') + interval '1 month', 'YYYY-MM') "
            + "from ledger_period p where p.status = 'closed'), '')), "
            + "cast(:postedAt as timestamptz), cast(:kind as text), cast(:sourceType as text), cast(:sourceId as text), "
            + "cast(:reverses as uuid), cast(:memo as text), cast(:actor as text) from tenant t where t.id = app_tenant() "
            + "on conflict (tenant_id, idempotency_key) do nothing")
    long insert(UUID id, String idempotencyKey, Instant postedAt, @Nullable Instant accountingAt, String kind,
                @Nullable String sourceType, @Nullable String sourceId, @Nullable UUID reverses, @Nullable String memo,
                String actor);

    /**
     * Adds many transactions at once (element i of each array is transaction i), each unless its key is taken, all at
     * {@code postedAt} in the period {@link #insert} would choose; returns how many were added.
     */
    @Query("insert into ledger_transaction (tenant_id, id, idempotency_key, period, posted_at, kind, source_type, "
            + "source_id, memo, actor) select app_tenant(), cast(u.id as uuid), u.k, p.period, cast(:postedAt as timestamptz), u.kind, u.st, u.si, "
            + "u.memo, u.actor from unnest(cast(:ids as text[]), cast(:keys as text[]), cast(:kinds as text[]), "
            + "cast(:sourceTypes as text[]), cast(:sourceIds as text[]), cast(:memos as text[]), cast(:actors as text[])) "
            + "with ordinality as u(id, k, kind, st, si, memo, actor, n) cross join (select "
            + "greatest(to_char(cast(:postedAt as timestamptz) at time zone t.time_zone, 'YYYY-MM'), "
            + "coalesce((select to_char(to_date(max(lp.period), 'YYYY-MM') + interval '1 month', 'YYYY-MM') "
            + "from ledger_period lp where lp.status = 'closed'), '')) as period from tenant t where t.id = app_tenant()) p "
            + "order by u.n on conflict (tenant_id, idempotency_key) do nothing")
    long insertMany(@TypeDef(type = DataType.STRING_ARRAY) String[] ids, @TypeDef(type = DataType.STRING_ARRAY) String[] keys,
                    Instant postedAt, @TypeDef(type = DataType.STRING_ARRAY) String[] kinds,
                    @TypeDef(type = DataType.STRING_ARRAY) String[] sourceTypes,
                    @TypeDef(type = DataType.STRING_ARRAY) String[] sourceIds,
                    @TypeDef(type = DataType.STRING_ARRAY) String[] memos,
                    @TypeDef(type = DataType.STRING_ARRAY) String[] actors);

    /** The transactions with these keys. */
    @Query("select id, idempotency_key, period, posted_at, kind, source_type, source_id, reverses, memo, actor "
            + "from ledger_transaction where idempotency_key = any(cast(:keys as text[]))")
    List<Row> byKeys(@TypeDef(type = DataType.STRING_ARRAY) String[] keys);

    /** Adds the entries of many transactions (element i: transaction, line, account code, amount); returns how many were added. */
    @Query("insert into ledger_entry (tenant_id, transaction_id, line, account_id, amount_fen) "
            + "select app_tenant(), cast(u.tx as uuid), cast(u.line as smallint), a.id, cast(u.amount as bigint) "
            + "from unnest(cast(:transactionIds as text[]), cast(:lines as text[]), cast(:codes as text[]), "
            + "cast(:amounts as text[])) as u(tx, line, code, amount) join ledger_account a on a.code = u.code")
    long insertEntriesOfMany(@TypeDef(type = DataType.STRING_ARRAY) String[] transactionIds,
                             @TypeDef(type = DataType.STRING_ARRAY) String[] lines,
                             @TypeDef(type = DataType.STRING_ARRAY) String[] codes,
                             @TypeDef(type = DataType.STRING_ARRAY) String[] amounts);

    /** Adds the entries of a transaction, line i+1 for element i; returns how many were added (an unknown code adds none). */
    @Query("insert into ledger_entry (tenant_id, transaction_id, line, account_id, amount_fen) "
            + "select app_tenant(), cast(:transactionId as uuid), u.n, a.id, cast(u.amount as bigint) "
            + "from unnest(cast(:codes as text[]), cast(:amounts as text[])) with ordinality as u(code, amount, n) "
            + "join ledger_account a on a.code = u.code")
    long insertEntries(UUID transactionId, @TypeDef(type = DataType.STRING_ARRAY) String[] codes,
                       @TypeDef(type = DataType.STRING_ARRAY) String[] amounts);

    @Query("select id, idempotency_key, period, posted_at, kind, source_type, source_id, reverses, memo, actor "
            + "from ledger_transaction where idempotency_key = :key")
    Optional<Row> byKey(String key);

    @Query("select id, idempotency_key, period, posted_at, kind, source_type, source_id, reverses, memo, actor "
            + "from ledger_transaction where id = :id")
    Optional<Row> byId(UUID id);

    /** Whether the transaction has its reversal. */
    @Query("select exists (select 1 from ledger_transaction where reverses = :id)")
    boolean reversed(UUID id);

    @Query("select e.line, a.code as account_code, e.amount_fen from ledger_entry e "
            + "join ledger_account a on a.tenant_id = e.tenant_id and a.id = e.account_id "
            + "where e.transaction_id = :id order by e.line")
    List<Line> lines(UUID id);

    /** An account's balance: the sum of its entries (fen). */
    @Query("select coalesce(sum(e.amount_fen), 0) from ledger_entry e where e.account_id = :accountId")
    long balance(UUID accountId);

    /** Every account's balance over the periods up to {@code through} ({@code YYYY-MM}; null: all), by code. */
    @Query("select a.code, a.kind, a.name_zh, a.name_en, coalesce(b.total, 0) as balance_fen from ledger_account a "
            + "left join (select e.account_id, sum(e.amount_fen) as total from ledger_entry e "
            + "join ledger_transaction t on t.tenant_id = e.tenant_id and t.id = e.transaction_id "
            + "where cast(:through as text) is null or t.period <= :through group by e.account_id) b on b.account_id = a.id "
            + "order by a.code")
    List<Balance> trialBalance(@Nullable String through);

    String STATEMENT = "from ledger_entry e join ledger_transaction t on t.tenant_id = e.tenant_id and t.id = e.transaction_id "
            + "where e.account_id = :accountId and (cast(:period as text) is null or t.period = :period) ";

    /** A page of an account's entries (of one period, or all), in posting order. */
    @Query("select t.id as transaction_id, e.line, cast(:code as text) as account_code, e.amount_fen, t.period, t.posted_at, t.kind, "
            + "t.source_type, t.source_id, t.reverses, t.memo, t.actor " + STATEMENT
            + "order by t.posted_at, t.id, e.line limit :limit offset :offset")
    List<Entry> statement(UUID accountId, String code, @Nullable String period, int limit, long offset);

    @Query("select count(*) " + STATEMENT)
    long countStatement(UUID accountId, @Nullable String period);
}
