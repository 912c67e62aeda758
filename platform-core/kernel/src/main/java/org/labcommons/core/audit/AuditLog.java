package org.labcommons.core.audit;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.logging.RequestIdFilter;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Appends to the audit log inside the caller's tenant-bound transaction, so the entry commits or
 * rolls back with the change it describes. The tenant is the one bound to the transaction. The
 * statement is in {@link AuditEventRows}. The request id and the client address (as
 * {@code ClientAddresses} resolved it) come from the logging context {@link RequestIdFilter} fills;
 * work outside a request records neither.
 */
@Singleton
public record AuditLog(JsonMapper json, AuditEventRows rows) {
    /**
     * Appends {@code entry}; {@code connection} must come from {@link TenantTransactions#inTenant}
     * (the repository joins that transaction, whose connection it is).
     */
    public UUID append(Connection connection, AuditEntry entry) throws SQLException {
        UUID id = UUID.randomUUID();
        rows.append(id, entry.actorIssuer(), entry.actorSubject(),
                entry.actingTenantId() == null ? null : UUID.fromString(entry.actingTenantId()),
                entry.action(), entry.targetType(), entry.targetId(), toJson(entry), MDC.get(RequestIdFilter.MDC_KEY),
                MDC.get(RequestIdFilter.CLIENT_MDC_KEY));
        return id;
    }

    private String toJson(AuditEntry entry) {
        try {
            return json.writeValueAsString(entry.details());
        } catch (IOException e) {
            throw new UncheckedIOException("audit details are not serialisable", e);
        }
    }
}
