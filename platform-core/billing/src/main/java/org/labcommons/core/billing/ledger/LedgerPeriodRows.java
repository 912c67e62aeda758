package org.labcommons.core.billing.ledger;

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

/** The store of {@code ledger_period} (V38): a tenant's months, open or closed (RLS). */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LedgerPeriodRows extends GenericRepository<LedgerPeriodRows.Row, String> {

    /** One period ({@code YYYY-MM}). */
    @MappedEntity("ledger_period")
    record Row(@Id String period, String status, @Nullable Instant closedAt, @Nullable String closedBy) {
    }

    /** The month ({@code YYYY-MM}) that {@code at} falls in, in the bound tenant's zone. */
    @Query("select to_char(cast(:at as timestamptz) at time zone time_zone, 'YYYY-MM') from tenant where id = app_tenant()")
    Optional<String> monthOf(Instant at);

    /** The period's status, its row locked for the transaction (empty: no row). */
    @Query("select status from ledger_period where period = :period for update")
    Optional<String> lockStatus(String period);

    /** Whether a period before {@code period} is open. */
    @Query("select exists (select 1 from ledger_period where status = 'open' and period < :period)")
    boolean earlierOpen(String period);

    /** Adds the period closed (a month nothing was posted in); 0 when it exists. */
    @Query("insert into ledger_period (tenant_id, period, status, closed_at, closed_by) "
            + "values (app_tenant(), :period, 'closed', :closedAt, :closedBy) on conflict (tenant_id, period) do nothing")
    long insertClosed(String period, Instant closedAt, String closedBy);

    /** Closes an open period. */
    @Query("update ledger_period set status = 'closed', closed_at = :closedAt, closed_by = :closedBy "
            + "where period = :period and status = 'open'")
    long close(String period, Instant closedAt, String closedBy);

    @Query("select period, status, closed_at, closed_by from ledger_period order by period")
    List<Row> all();
}
