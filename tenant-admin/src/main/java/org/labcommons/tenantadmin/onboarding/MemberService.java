package org.labcommons.tenantadmin.onboarding;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.events.KernelTopics;
import org.labcommons.core.events.Outbox;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A network's member institutions: aggregate figures only (through the reviewed
 * {@code network_member_aggregates} function, never a member's raw records), suspension and
 * reactivation, and their identity-provider registrations with the connection test.
 */
@Singleton
public record MemberService(TenantTransactions tenants,
                            AuditLog audit,
                            Outbox outbox,
                            IdentityProviderCheck check,
                            TenantRegistryRows registry,
                            MemberRows rows) {
    /** The topic of tenant lifecycle events (docs/events.md). */

    /**
     * A member institution with its aggregates: instruments (not archived), their total original
     * value in fen, and how many of them are published beyond the institution (scope network,
     * consortium or public) with that share of all (null when it has no instruments).
     */
    @Serdeable
    public record Member(UUID tenantId, String slug, String nameZh, String nameEn, String status,
                         @Nullable String regionCode, String timeZone, Instant createdAt,
                         @Nullable Instant statusChangedAt, @Nullable String statusReason, long instrumentCount,
                         long totalValueFen, long publishedCount, @Nullable Double publishedShare) {
    }

    /** One identity-provider registration of a member. */
    @Serdeable
    public record IdentityProvider(UUID id, String issuer, @Nullable String clientId, String nameClaim,
                                   String emailClaim, boolean enabled, @Nullable Instant lastCheckedAt,
                                   @Nullable String lastCheckResult) {
    }

    public ApplicationService.Page<Member> list(TenantId network, int page, int size) {
        return tenants.inTenant(network, c -> {
            List<Member> items = members(network, null, size, page * size);
            long total = rows.count(network.value());
            return new ApplicationService.Page<>(items, page, size, total);
        });
    }

    /** A member of {@code network}; empty for any other tenant (another network's, or none). */
    public Optional<Member> find(TenantId network, UUID tenantId) {
        return tenants.inTenant(network, c -> members(network, tenantId, 1, 0).stream().findFirst());
    }

    public Member suspend(TenantId network, AuditEntry.Actor actor, UUID tenantId, String reason) {
        return changeStatus(network, actor, tenantId, reason, "active", "suspended");
    }

    public Member reactivate(TenantId network, AuditEntry.Actor actor, UUID tenantId, String reason) {
        return changeStatus(network, actor, tenantId, reason, "suspended", "active");
    }

    /**
     * Suspension and reactivation: the registry row, the lifecycle event (outbox) and the audit
     * entry commit together in the member's transaction; the network's own log records it next.
     * Suspending ends the member's users' browser sessions. No data is deleted.
     */
    /** The reason of a suspension or reactivation, stripped; 400 {@code validation_failed} when blank or too long. */
    public static String checkedReason(String reason) {
        String why = reason == null ? null : reason.strip();
        if (why == null || why.isEmpty() || why.length() > 1000) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(why == null || why.isEmpty()
                    ? new FieldProblem("reason", "required", "validation.not_null", Map.of())
                    : new FieldProblem("reason", "size", "validation.size", Map.of("min", 1, "max", 1000))));
        }
        return why;
    }

    private Member changeStatus(TenantId network, AuditEntry.Actor actor, UUID tenantId, String reason, String from,
                                String to) {
        String why = checkedReason(reason);
        TenantId member = new TenantId(tenantId);
        String action = "suspended".equals(to) ? "tenant.suspended" : "tenant.reactivated";
        tenants.inTenant(member, c -> {
            TenantRegistryRows.TenantRow row = registry.lock(tenantId)
                    .filter(t -> network.value().equals(t.parentId()) && !"provisioning".equals(t.status()))
                    .orElseThrow(ProblemException::notFound);
            if (!from.equals(row.status())) {
                throw ApplicationStore.wrongState(row.status());
            }
            registry.changeStatus(tenantId, to, why);
            long version = registry.findById(tenantId).orElseThrow().version();
            int sessions = "suspended".equals(to) ? rows.endSessions() : 0;
            Map<String, Object> payload = new HashMap<>();
            payload.put("tenantId", tenantId.toString());
            payload.put("slug", row.slug());
            payload.put("networkId", network.toString());
            payload.put("status", to);
            outbox.append(c, new Outbox.Event(KernelTopics.TENANT_LIFECYCLE, action, 1, "tenant", tenantId.toString(), version, payload));
            Map<String, Object> details = new HashMap<>();
            details.put("reason", why);
            details.put("networkId", network.toString());
            details.put("endedSessions", sessions);
            audit.append(c, actor.entry(action, "tenant", tenantId.toString(), details));
            return null;
        });
        tenants.inTenant(network, c -> {
            audit.append(c, actor.entry(action, "tenant", tenantId.toString(), Map.of("reason", why)));
            return null;
        });
        return find(network, tenantId).orElseThrow();
    }

    public List<IdentityProvider> identityProviders(TenantId network, UUID tenantId) {
        requireMember(network, tenantId);
        return tenants.inTenant(new TenantId(tenantId), c -> registrations());
    }

    /** Tests every registration of the member, records the outcome on it, and audits the test. */
    public List<IdentityProviderCheck.Result> testIdentityProviders(TenantId network, AuditEntry.Actor actor,
                                                                    UUID tenantId, Locale locale) {
        requireMember(network, tenantId);
        TenantId member = new TenantId(tenantId);
        List<IdentityProvider> registered = tenants.inTenant(member, c -> registrations());
        List<IdentityProviderCheck.Result> results = new ArrayList<>();
        for (IdentityProvider idp : registered) {
            IdentityProviderCheck.Result r = check.check(idp.issuer(), locale);
            results.add(r);
            tenants.inTenant(member, c -> {
                rows.checked(idp.id(), r.code());
                audit.append(c, actor.entry("trusted_issuer.checked", "trusted_issuer", idp.id().toString(),
                        Map.of("issuer", idp.issuer(), "result", r.code())));
                return null;
            });
        }
        return results;
    }

    private void requireMember(TenantId network, UUID tenantId) {
        tenants.inTenant(network, c -> registry.findById(tenantId)
                .filter(t -> network.value().equals(t.parentId()) && !"provisioning".equals(t.status()))
                .orElseThrow(ProblemException::notFound));
    }

    private List<IdentityProvider> registrations() {
        return rows.registrations().stream().map(r -> new IdentityProvider(r.id(), r.issuer(), r.clientId(), r.nameClaim(),
                r.emailClaim(), r.enabled(), r.lastCheckedAt(), r.lastCheckResult())).toList();
    }

    /** Members through the reviewed aggregate function (it answers only for the bound network). */
    private List<Member> members(TenantId network, UUID only, int limit, int offset) {
        return rows.members(network.value(), only, limit, offset).stream().map(m -> new Member(m.tenantId(), m.slug(),
                m.nameZh(), m.nameEn(), m.status(), m.regionCode(), m.timeZone(), m.createdAt(), m.statusChangedAt(),
                m.statusReason(), m.instrumentCount(), m.totalValueFen(), m.publishedCount(),
                m.instrumentCount() == 0 ? null : (double) m.publishedCount() / m.instrumentCount())).toList();
    }
}
