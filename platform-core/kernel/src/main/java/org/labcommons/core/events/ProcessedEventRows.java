package org.labcommons.core.events;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.UUID;

/**
 * The store of deliveries already handled ({@code processed_event}), per consumer. Runs inside the
 * event tenant's transaction, together with the handler's own changes.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ProcessedEventRows extends GenericRepository<ProcessedEventRows.Row, UUID> {

    /** The key columns of a {@code processed_event} row. */
    @MappedEntity("processed_event")
    record Row(UUID tenantId, String consumer, @Id UUID eventId) {
    }

    /** Records the first delivery of {@code eventId} to {@code consumer}: 1, or 0 when it was handled before. */
    @Query("insert into processed_event (tenant_id, consumer, event_id) values (app_tenant(), :consumer, :eventId) "
            + "on conflict do nothing")
    long recordFirst(String consumer, UUID eventId);
}
