package org.labcommons.core.billing.ledger;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
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

/** The store of {@code ledger_account} (V38): a tenant's chart of accounts (RLS). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LedgerAccountRows extends GenericRepository<LedgerAccountRows.Row, UUID> {

    /** One account. */
    @MappedEntity("ledger_account")
    record Row(@Id UUID id, String code, String kind, String nameZh, String nameEn, @Nullable String holderType,
               @Nullable UUID holderId, @Nullable @GeneratedValue Instant createdAt) {
        Account toAccount() {
            return new Account(id, code, kind, nameZh, nameEn, holderType, holderId, createdAt);
        }
    }

    /** An account with its balance (the sum of its entries, fen). */
    @Introspected
    @io.micronaut.serde.annotation.Serdeable
    record Balanced(UUID id, String code, String kind, String nameZh, String nameEn, @Nullable String holderType,
                    @Nullable UUID holderId, long balanceFen) {
    }

    /** Adds the account to the bound tenant unless its code exists (1 added, 0 there already). */
    @Query("insert into ledger_account (tenant_id, id, code, kind, name_zh, name_en, holder_type, holder_id) "
            + "values (app_tenant(), :id, :code, :kind, :nameZh, :nameEn, :holderType, :holderId) "
            + "on conflict (tenant_id, code) do nothing")
    long insert(UUID id, String code, String kind, String nameZh, String nameEn, @Nullable String holderType,
                @Nullable UUID holderId);

    @Query("select id, code, kind, name_zh, name_en, holder_type, holder_id, created_at from ledger_account "
            + "where code = :code")
    Optional<Row> byCode(String code);

    /** The codes among {@code codes} the tenant has no account for. */
    @Query("select distinct c from unnest(cast(:codes as text[])) as u(c) "
            + "where not exists (select 1 from ledger_account a where a.code = u.c) order by c")
    List<String> missing(@io.micronaut.data.annotation.TypeDef(type = io.micronaut.data.model.DataType.STRING_ARRAY) String[] codes);

    /** A page of the accounts, by code, each with its balance. */
    @Query("select a.id, a.code, a.kind, a.name_zh, a.name_en, a.holder_type, a.holder_id, "
            + "coalesce((select sum(e.amount_fen) from ledger_entry e where e.tenant_id = a.tenant_id "
            + "and e.account_id = a.id), 0) as balance_fen "
            + "from ledger_account a where (cast(:prefix as text) is null or a.code like :prefix || '%') "
            + "order by a.code limit :limit offset :offset")
    List<Balanced> page(@Nullable String prefix, int limit, long offset);

    @Query("select count(*) from ledger_account where (cast(:prefix as text) is null or code like :prefix || '%')")
    long count(@Nullable String prefix);
}
