package org.labcommons.federation.booking;

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

/**
 * The store of the home finance's closed account codes ({@code finance_account_block}). Call it
 * inside {@code TenantTransactions.inTenant(home, …)}: row level security limits it to the home.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AccountBlockRows extends GenericRepository<AccountBlockRows.Row, String> {

    /** A closed account code. */
    @MappedEntity("finance_account_block")
    record Row(@Id String accountCode, @Nullable String reason, @Nullable UUID blockedBy, Instant blockedAt) {
    }

    /** The closed codes by code (at most 1000). */
    @Query("select * from finance_account_block order by account_code limit 1000")
    List<Row> all();

    boolean existsByAccountCode(String accountCode);

    /** Closes a code for the bound home, or replaces the reason of a closed one. */
    @Query("insert into finance_account_block (tenant_id, account_code, reason, blocked_by, blocked_at) "
            + "values (app_tenant(), :accountCode, :reason, :blockedBy, now()) on conflict (tenant_id, account_code) "
            + "do update set reason = excluded.reason, blocked_by = excluded.blocked_by, blocked_at = excluded.blocked_at")
    int block(String accountCode, @Nullable String reason, UUID blockedBy);

    /** Opens a closed code: 1, or 0 when it was not closed. */
    @Query("delete from finance_account_block where account_code = :accountCode")
    int unblock(String accountCode);
}
