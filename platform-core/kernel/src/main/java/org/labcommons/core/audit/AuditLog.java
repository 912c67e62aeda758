package org.labcommons.core.audit;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.labcommons.core.logging.RequestIdFilter;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.UUID;

/**
 * Appends to the audit log inside the caller's tenant-bound transaction, so the entry commits or
 * rolls back with the change it describes. The tenant is the one bound to the transaction.
 */
@Singleton
public class AuditLog {
    private final JsonMapper json;

    public AuditLog(JsonMapper json) {
        this.json = json;
    }

    /** Appends {@code entry}; {@code connection} must come from {@link TenantTransactions#inTenant}. */
    public UUID append(Connection connection, AuditEntry entry) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps = connection.prepareStatement(
                "insert into audit_event (tenant_id, id, actor_issuer, actor_subject, acting_tenant_id, action, "
                        + "target_type, target_id, details, request_id) "
                        + "values (app_tenant(), ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, entry.actorIssuer());
            ps.setString(3, entry.actorSubject());
            if (entry.actingTenantId() == null) {
                ps.setNull(4, Types.OTHER);
            } else {
                ps.setObject(4, UUID.fromString(entry.actingTenantId()));
            }
            ps.setString(5, entry.action());
            ps.setString(6, entry.targetType());
            ps.setString(7, entry.targetId());
            ps.setString(8, toJson(entry));
            ps.setString(9, MDC.get(RequestIdFilter.MDC_KEY));
            ps.executeUpdate();
        }
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
