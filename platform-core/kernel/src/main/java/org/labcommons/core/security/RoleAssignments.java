package org.labcommons.core.security;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;

/**
 * Reads and grants role assignments, always inside the tenant's own bound transaction.
 *
 * <p>{@link #forUser} runs on every authenticated request, so its answer is remembered per
 * (tenant, user) for {@code labcommons.security.role-cache-ttl} (default 5 s; 0 turns the cache
 * off). Every path of this application that changes assignments ({@link #grant},
 * {@code UnitAdmins} grant and revoke) calls {@link #invalidate} as it writes and again once its
 * transaction has returned, and a read that overlaps an invalidation is not remembered, so on the
 * instance that made the change a revoked role stops acting at once. Another instance of the server
 * keeps its remembered answer for at most the TTL: that is the bound on how long a role revoked
 * elsewhere can still act (and a new grant take to show).
 */
@Singleton
public class RoleAssignments {
    private final TenantTransactions tenants;
    private final RoleAssignmentRows rows;
    private final AuditLog audit;
    private final long ttlNanos;
    private final java.util.concurrent.ConcurrentHashMap<Key, Remembered> remembered = new java.util.concurrent.ConcurrentHashMap<>();
    /** Bumped by every invalidation: a read that saw another value when it started is not remembered. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private static final int MAX_REMEMBERED = 50_000;

    private record Key(TenantId tenant, UUID userId) {
    }

    private record Remembered(List<RoleAssignment> assignments, long at) {
    }

    @jakarta.inject.Inject
    public RoleAssignments(TenantTransactions tenants, RoleAssignmentRows rows, AuditLog audit,
                           @io.micronaut.context.annotation.Value("${labcommons.security.role-cache-ttl:5s}") java.time.Duration ttl) {
        this.tenants = tenants;
        this.rows = rows;
        this.audit = audit;
        this.ttlNanos = ttl.toNanos();
    }

    public RoleAssignments(TenantTransactions tenants, RoleAssignmentRows rows, AuditLog audit) {
        this(tenants, rows, audit, java.time.Duration.ZERO);
    }

    /**
     * Forgets what {@link #forUser} remembered of {@code userId} in {@code tenant} (both null:
     * everything). Call it when assignments change, inside the changing transaction and after it.
     */
    public void invalidate(@Nullable TenantId tenant, @Nullable UUID userId) {
        generation.incrementAndGet();
        if (tenant == null || userId == null) {
            remembered.clear();
        } else {
            remembered.remove(new Key(tenant, userId));
        }
    }

    /** The user's assignments in {@code tenant}, oldest first (remembered for the TTL, see the class). */
    public List<RoleAssignment> forUser(TenantId tenant, UUID userId) {
        if (ttlNanos <= 0) {
            return read(tenant, userId);
        }
        Key key = new Key(tenant, userId);
        long now = System.nanoTime();
        Remembered r = remembered.get(key);
        if (r != null && now - r.at() < ttlNanos) {
            return r.assignments();
        }
        long seen = generation.get();
        List<RoleAssignment> fresh = read(tenant, userId);
        if (generation.get() == seen) {
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
            remembered.put(key, new Remembered(fresh, now));
        }
        return fresh;
    }

    private List<RoleAssignment> read(TenantId tenant, UUID userId) {
        return tenants.inTenant(tenant, c -> rows.ofUser(userId).stream().map(RoleAssignmentRow::toAssignment).toList());
    }

    /**
     * Grants {@code role} on a scope of {@code tenant} (scopeId null for the whole tenant); granting
     * what is already held changes nothing. Who may grant is the caller's decision
     * ({@link Action#MANAGE_ROLES}); the tenant-admin module owns the screens.
     */
    public void grant(TenantId tenant, UUID userId, Role role, ScopeType scopeType, @Nullable UUID scopeId,
                      @Nullable UUID grantedBy) {
        invalidate(tenant, userId);
        try {
            grantIn(tenant, userId, role, scopeType, scopeId, grantedBy);
        } finally {
            invalidate(tenant, userId);
        }
    }

    private void grantIn(TenantId tenant, UUID userId, Role role, ScopeType scopeType, @Nullable UUID scopeId,
                         @Nullable UUID grantedBy) {
        tenants.inTenant(tenant, c -> {
            if (rows.grant(tenant.value(), UUID.randomUUID(), userId, role.id(), scopeType.id(), scopeId, grantedBy) == 0) {
                return false;
            }
            Map<String, Object> details = new HashMap<>();
            details.put("userId", userId.toString());
            details.put("role", role.id());
            details.put("scopeType", scopeType.id());
            details.put("scopeId", scopeId == null ? "" : scopeId.toString());
            details.put("grantedBy", grantedBy == null ? "" : grantedBy.toString());
            audit.append(c, AuditEntry.system("role_assignment.granted", "user_account", userId.toString(), details));
            return true;
        });
    }
}
