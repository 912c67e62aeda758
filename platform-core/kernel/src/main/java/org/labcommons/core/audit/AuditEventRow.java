package org.labcommons.core.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code audit_event} as read back; {@code details} is the JSON text of the jsonb column,
 * {@code clientAddress} the resolved address of the request that made the change.
 */
@MappedEntity("audit_event")
public record AuditEventRow(UUID tenantId, @Id UUID id, Instant occurredAt, @Nullable String actorIssuer,
                            @Nullable String actorSubject, @Nullable UUID actingTenantId, String action,
                            String targetType, @Nullable String targetId, String details,
                            @Nullable String requestId, @Nullable String clientAddress) {
}
