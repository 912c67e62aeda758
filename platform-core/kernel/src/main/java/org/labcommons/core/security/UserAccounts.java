package org.labcommons.core.security;

import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.tenancy.TenantTransactions;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Global user identities, keyed by (issuer, subject) and never by e-mail. A principal seen for
 * the first time gets an account, created in its issuer's tenant transaction with an audit entry.
 */
@Singleton
public class UserAccounts {
    /** Accounts are never re-keyed or deleted, so (issuer, subject) → id is safe to remember. */
    private static final int KNOWN_MAX = 50_000;
    private final java.util.concurrent.ConcurrentHashMap<String, UUID> known = new java.util.concurrent.ConcurrentHashMap<>();
    private final TenantTransactions tenants;
    private final UserAccountRows rows;
    private final AuditLog audit;

    public UserAccounts(TenantTransactions tenants, UserAccountRows rows, AuditLog audit) {
        this.tenants = tenants;
        this.rows = rows;
        this.audit = audit;
    }

    /** The account id for the token's principal, creating the account on first sight. */
    public UUID resolve(TokenValidator.ValidatedToken token) {
        return resolve(CallerResolver.VerifiedPrincipal.of(token));
    }

    /**
     * The account id for a principal its issuer has vouched for (a bearer token or a browser
     * sign-in), creating the account on first sight.
     */
    public UUID resolve(CallerResolver.VerifiedPrincipal principal) {
        // one transaction less on every request of a known user (the id of an (issuer, subject) never changes)
        String key = principal.issuer() + '\n' + principal.subject();
        UUID cached = known.get(key);
        if (cached != null) {
            return cached;
        }
        UUID id = lookUpOrCreate(principal);
        if (known.size() >= KNOWN_MAX) {
            known.clear();
        }
        known.put(key, id);
        return id;
    }

    private UUID lookUpOrCreate(CallerResolver.VerifiedPrincipal principal) {
        return tenants.inTenant(principal.homeTenant(), c -> {
            Optional<UUID> existing = rows.idOf(principal.issuer(), principal.subject());
            if (existing.isPresent()) {
                return existing.get();
            }
            UUID id = UUID.randomUUID();
            if (rows.createIfAbsent(id, principal.issuer(), principal.subject(),
                    informational(principal.displayName(), 200), informational(principal.email(), 320)) == 0) {
                return rows.idOf(principal.issuer(), principal.subject()).orElseThrow(); // created concurrently
            }
            audit.append(c, new AuditEntry(principal.issuer(), principal.subject(), principal.homeTenant().toString(),
                    "user_account.created", "user_account", id.toString(), Map.of()));
            return id;
        });
    }

    private static String informational(String value, int max) {
        return value != null && value.length() <= max ? value : null;
    }
}
