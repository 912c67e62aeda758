package org.labcommons.core.audit;

import io.micronaut.core.annotation.Nullable;

import java.util.Map;
import java.util.Objects;

/**
 * One state change to record.
 *
 * @param actorIssuer    issuer of the acting user's token (null for the platform itself)
 * @param actorSubject   subject of the acting user (null for the platform itself)
 * @param actingTenantId the tenant the actor acted from (differs from the row's tenant in federation)
 * @param action         what happened, dotted lower case, e.g. {@code org_unit.created}
 * @param targetType     kind of the changed thing, e.g. {@code org_unit}
 * @param targetId       its id
 * @param details        what changed (no secrets, no personal data beyond ids)
 */
public record AuditEntry(@Nullable String actorIssuer, @Nullable String actorSubject, @Nullable String actingTenantId,
                         String action, String targetType, @Nullable String targetId, Map<String, Object> details) {
    public AuditEntry {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetType, "targetType");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** Who acts: the token's issuer and subject and the tenant they act from. */
    public record Actor(@Nullable String issuer, @Nullable String subject, @Nullable String actingTenantId) {
        public static final Actor SYSTEM = new Actor(null, "system", null);

        public AuditEntry entry(String action, String targetType, @Nullable String targetId, Map<String, Object> details) {
            return new AuditEntry(issuer, subject, actingTenantId, action, targetType, targetId, details);
        }
    }

    /** A change made by the platform itself (start-up, demo data, scheduled work). */
    public static AuditEntry system(String action, String targetType, @Nullable String targetId, Map<String, Object> details) {
        return new AuditEntry(null, "system", null, action, targetType, targetId, details);
    }
}
