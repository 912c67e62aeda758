package org.labcommons.core.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.UUID;

/**
 * The store of the audit log: append and read, nothing else (the runtime role may neither update
 * nor delete {@code audit_event}). Runs inside the caller's tenant-bound transaction.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AuditEventRows extends GenericRepository<AuditEventRow, UUID> {

    /**
     * Appends an entry for the tenant bound to the transaction ({@code app_tenant()}: with no
     * tenant bound the insert fails on the not-null key). {@code details} is JSON text.
     */
    @Query("insert into audit_event (tenant_id, id, actor_issuer, actor_subject, acting_tenant_id, action, "
            + "target_type, target_id, details, request_id, client_address) values (app_tenant(), :id, :actorIssuer, :actorSubject, "
            + "cast(:actingTenantId as uuid), :action, :targetType, :targetId, cast(:details as jsonb), :requestId, "
            + ":clientAddress)")
    long append(UUID id, @Nullable String actorIssuer, @Nullable String actorSubject, @Nullable UUID actingTenantId,
                String action, String targetType, @Nullable String targetId, String details,
                @Nullable String requestId, @Nullable String clientAddress);

    /** The entries about one thing, oldest first. */
    @Query("select * from audit_event where target_type = :targetType and target_id = :targetId "
            + "order by occurred_at, id")
    List<AuditEventRow> about(String targetType, String targetId);
}
