package org.labcommons.core.billing.closing;

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
 * The store of the month close (V44: {@code month_close}, {@code month_close_statement}, {@code month_close_file}) and
 * the ledger reads a close makes (per tenant, RLS).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface CloseRows extends GenericRepository<CloseRows.Close, UUID> {

    /** One closed month. */
    @Serdeable
    @MappedEntity("month_close")
    record Close(@Id UUID id, String period, Instant closedAt, String closedBy, int statements, int deductionRows,
                 long deductionFen) {
    }

    /** One account of the month: balance before it, its debits and credits in it, how many entries. */
    @Introspected
    record Activity(String code, String nameZh, String nameEn, long openingFen, long debitsFen, long creditsFen, int entries) {
    }

    /** A stored statement header. */
    @Serdeable
    @Introspected
    record Statement(String payerCode, String payerKind, String nameZh, String nameEn, @Nullable String financeCode,
                     @Nullable String grantCode, long openingFen, long debitsFen, long creditsFen, long closingFen,
                     int entries) {
    }

    /** A stored file without its content. */
    @Serdeable
    @Introspected
    record FileInfo(String name, String contentType, String sha256, int sizeBytes) {
    }

    /** A stored file. */
    @Introspected
    record FileContent(String name, String contentType, String sha256, byte[] content) {
    }

    /** Serialises closes of one month of the bound tenant (until the transaction ends). */
    @Query("select pg_advisory_xact_lock(hashtext('month_close:' || cast(app_tenant() as text) || ':' || :period)) is not null")
    boolean lock(String period);

    /** The month ({@code YYYY-MM}) {@code at} falls in, in the bound tenant's zone. */
    @Query("select to_char(cast(:at as timestamptz) at time zone time_zone, 'YYYY-MM') from tenant where id = app_tenant()")
    Optional<String> monthOf(Instant at);

    /** The ledger period's status ({@code open}, {@code closed}; empty: no row). */
    @Query("select status from ledger_period where period = :period")
    Optional<String> periodStatus(String period);

    /** The bound tenant's time zone. */
    @Query("select time_zone from tenant where id = app_tenant()")
    Optional<String> zone();

    /**
     * The accounts whose code starts with one of {@code prefixes} that have entries in {@code period}: balance of the
     * earlier periods, the period's debits (positive entries) and credits (negative entries) and entry count, by code.
     */
    @Query("with m as (select e.account_id, sum(case when e.amount_fen > 0 then e.amount_fen else 0 end) as debits, "
            + "sum(case when e.amount_fen < 0 then e.amount_fen else 0 end) as credits, count(*) as n "
            + "from ledger_entry e join ledger_transaction t on t.tenant_id = e.tenant_id and t.id = e.transaction_id "
            + "where t.period = :period group by e.account_id) "
            + "select a.code, a.name_zh, a.name_en, coalesce((select sum(e.amount_fen) from ledger_entry e "
            + "join ledger_transaction t on t.tenant_id = e.tenant_id and t.id = e.transaction_id "
            + "where e.tenant_id = a.tenant_id and e.account_id = a.id and t.period < :period), 0) as opening_fen, "
            + "m.debits as debits_fen, m.credits as credits_fen, cast(m.n as integer) as entries "
            + "from m join ledger_account a on a.id = m.account_id "
            + "where a.code like any (cast(:patterns as text[])) order by a.code")
    List<Activity> activity(String period, @TypeDef(type = DataType.STRING_ARRAY) String[] patterns);

    /** The codes of accounts with entries in {@code period} whose code matches none of {@code patterns}. */
    @Query("select distinct a.code from ledger_entry e join ledger_transaction t on t.tenant_id = e.tenant_id "
            + "and t.id = e.transaction_id join ledger_account a on a.tenant_id = e.tenant_id and a.id = e.account_id "
            + "where t.period = :period and not (a.code like any (cast(:patterns as text[]))) order by a.code")
    List<String> unknownAccounts(String period, @TypeDef(type = DataType.STRING_ARRAY) String[] patterns);

    @Query("select id, period, closed_at, closed_by, statements, deduction_rows, deduction_fen from month_close where period = :period")
    Optional<Close> byPeriod(String period);

    @Query("select id, period, closed_at, closed_by, statements, deduction_rows, deduction_fen from month_close "
            + "order by period desc limit :limit offset :offset")
    List<Close> page(int limit, long offset);

    @Query("select count(*) from month_close")
    long count();

    @Query("insert into month_close (tenant_id, id, period, closed_at, closed_by, statements, deduction_rows, deduction_fen) "
            + "values (app_tenant(), :id, :period, :closedAt, :closedBy, :statements, :deductionRows, :deductionFen)")
    void insert(UUID id, String period, Instant closedAt, String closedBy, int statements, int deductionRows, long deductionFen);

    /** Adds the statements of a close (element i of each array is statement i). */
    @Query("insert into month_close_statement (tenant_id, close_id, payer_code, payer_kind, name_zh, name_en, finance_code, "
            + "grant_code, opening_fen, debits_fen, credits_fen, closing_fen, entries) select app_tenant(), :closeId, "
            + "u.code, u.kind, u.zh, u.en, u.fc, u.gc, cast(u.o as bigint), cast(u.d as bigint), cast(u.c as bigint), "
            + "cast(u.o as bigint) + cast(u.d as bigint) + cast(u.c as bigint), cast(u.n as integer) "
            + "from unnest(cast(:codes as text[]), cast(:kinds as text[]), cast(:zh as text[]), cast(:en as text[]), "
            + "cast(:financeCodes as text[]), cast(:grantCodes as text[]), cast(:opening as text[]), cast(:debits as text[]), "
            + "cast(:credits as text[]), cast(:entries as text[])) as u(code, kind, zh, en, fc, gc, o, d, c, n)")
    long insertStatements(UUID closeId, @TypeDef(type = DataType.STRING_ARRAY) String[] codes,
                          @TypeDef(type = DataType.STRING_ARRAY) String[] kinds,
                          @TypeDef(type = DataType.STRING_ARRAY) String[] zh,
                          @TypeDef(type = DataType.STRING_ARRAY) String[] en,
                          @TypeDef(type = DataType.STRING_ARRAY) String[] financeCodes,
                          @TypeDef(type = DataType.STRING_ARRAY) String[] grantCodes,
                          @TypeDef(type = DataType.STRING_ARRAY) String[] opening,
                          @TypeDef(type = DataType.STRING_ARRAY) String[] debits,
                          @TypeDef(type = DataType.STRING_ARRAY) String[] credits,
                          @TypeDef(type = DataType.STRING_ARRAY) String[] entries);

    @Query("select payer_code, payer_kind, name_zh, name_en, finance_code, grant_code, opening_fen, debits_fen, credits_fen, "
            + "closing_fen, entries from month_close_statement where close_id = :closeId order by payer_code")
    List<Statement> statements(UUID closeId);

    @Query("select payer_code, payer_kind, name_zh, name_en, finance_code, grant_code, opening_fen, debits_fen, credits_fen, "
            + "closing_fen, entries from month_close_statement where close_id = :closeId and payer_code = :payerCode")
    Optional<Statement> statement(UUID closeId, String payerCode);

    @Query("insert into month_close_file (tenant_id, close_id, name, content_type, sha256, size_bytes, content) "
            + "values (app_tenant(), :closeId, :name, :contentType, :sha256, :sizeBytes, :content)")
    void insertFile(UUID closeId, String name, String contentType, String sha256, int sizeBytes, byte[] content);

    @Query("select name, content_type, sha256, size_bytes from month_close_file where close_id = :closeId order by name")
    List<FileInfo> files(UUID closeId);

    @Query("select name, content_type, sha256, content from month_close_file where close_id = :closeId and name = :name")
    Optional<FileContent> file(UUID closeId, String name);
}
