package org.labcommons.core.events;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The store of the transactional outbox ({@code outbox_event}). The runtime role may insert into
 * the table but not read it: {@link #append} runs on the caller's tenant-bound connection, and
 * the relay reads and marks rows only through the reviewed {@code security definer} functions
 * ({@code outbox_claim}, {@code outbox_pending_topics}, {@code outbox_mark_published}), each call
 * in a transaction of its own.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OutboxRows extends GenericRepository<OutboxRows.Row, Long> {

    /** The key columns of an {@code outbox_event} row. */
    @MappedEntity("outbox_event")
    record Row(UUID tenantId, @Id Long seq, UUID eventId) {
    }

    /** An unpublished event as {@code outbox_claim} returns it, the payload as JSON text. */
    @Introspected
    record Claimed(long seq, UUID tenantId, UUID eventId, String type, String topic, int schemaVersion,
                   String aggregateType, String aggregateId, long aggregateVersion, Instant occurredAt,
                   String payload) {
    }

    /**
     * Appends an event on {@code c}, a tenant-bound connection from {@code TenantTransactions.inTenant},
     * and returns that tenant; null (and nothing inserted) when no tenant is bound. {@code payload}
     * is JSON text.
     *
     * <p>Plain JDBC, one statement: the runtime role may not read {@code outbox_event}, so the insert
     * has no {@code returning} and the bound tenant comes back from the first CTE. A repository
     * method cannot express that: Micronaut Data runs any statement holding an {@code insert}
     * without {@code returning} as an update and refuses its result.
     */
    static UUID append(Connection c, UUID eventId, String type, String topic, int schemaVersion, String aggregateType,
                       String aggregateId, long aggregateVersion, Instant occurredAt, String payload) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("with b as (select app_tenant() as tenant), "
                + "i as (insert into outbox_event (tenant_id, event_id, type, topic, schema_version, aggregate_type, "
                + "aggregate_id, aggregate_version, occurred_at, payload) "
                + "select b.tenant, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb from b where b.tenant is not null) "
                + "select tenant from b")) {
            ps.setObject(1, eventId);
            ps.setString(2, type);
            ps.setString(3, topic);
            ps.setInt(4, schemaVersion);
            ps.setString(5, aggregateType);
            ps.setString(6, aggregateId);
            ps.setLong(7, aggregateVersion);
            ps.setTimestamp(8, Timestamp.from(occurredAt));
            ps.setString(9, payload);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    /** Up to {@code limit} unpublished events of every tenant (at most 1000), in {@code seq} order. */
    @Query("select seq, tenant_id, event_id, type, topic, schema_version, aggregate_type, aggregate_id, "
            + "aggregate_version, occurred_at, payload::text as payload from outbox_claim(:limit)")
    List<Claimed> claim(int limit);

    /** The topics that unpublished events are waiting for. */
    @Query("select outbox_pending_topics()")
    List<String> pendingTopics();

    /**
     * Marks published exactly the rows named by {@code seqs} and {@code eventIds} (pairwise, as
     * PostgreSQL array literals: {@code {1,2}}); how many changed.
     */
    @Query("select outbox_mark_published(cast(:seqs as bigint[]), cast(:eventIds as uuid[]))")
    int markPublished(String seqs, String eventIds);
}
