package org.labcommons.core.security;

import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.tenancy.TenantTransactions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
    private final AuditLog audit;

    public UserAccounts(TenantTransactions tenants, AuditLog audit) {
        this.tenants = tenants;
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
            Optional<UUID> existing = find(c, principal.issuer(), principal.subject());
            if (existing.isPresent()) {
                return existing.get();
            }
            UUID id = UUID.randomUUID();
            try (PreparedStatement ps = c.prepareStatement("insert into user_account (id, issuer, subject, display_name, email) "
                    + "values (?, ?, ?, ?, ?) on conflict (issuer, subject) do nothing")) {
                ps.setObject(1, id);
                ps.setString(2, principal.issuer());
                ps.setString(3, principal.subject());
                ps.setString(4, informational(principal.displayName(), 200));
                ps.setString(5, informational(principal.email(), 320));
                if (ps.executeUpdate() == 0) {
                    return find(c, principal.issuer(), principal.subject()).orElseThrow(); // created concurrently
                }
            }
            audit.append(c, new AuditEntry(principal.issuer(), principal.subject(), principal.homeTenant().toString(),
                    "user_account.created", "user_account", id.toString(), Map.of()));
            return id;
        });
    }

    private static Optional<UUID> find(Connection c, String issuer, String subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id from user_account where issuer = ? and subject = ?")) {
            ps.setString(1, issuer);
            ps.setString(2, subject);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private static String informational(String value, int max) {
        return value != null && value.length() <= max ? value : null;
    }
}
