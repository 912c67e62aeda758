package org.labcommons.tenantadmin.onboarding;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.CallerResolver;
import org.labcommons.core.security.Role;
import org.labcommons.core.security.RoleAssignments;
import org.labcommons.core.security.ScopeType;
import org.labcommons.core.security.UserAccounts;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Invitations of a tenant's first institution admins: an e-mail with an expiring, single-use
 * link; whoever opens it signs in with the tenant's own identity provider and accepts, which
 * grants that (issuer, subject) the institution-admin role on the tenant. Sending again replaces
 * the link (the older one stops working). Rows live in the invited tenant.
 */
@Singleton
public class AdminInvitations {
    private static final Logger LOG = LoggerFactory.getLogger(AdminInvitations.class);

    private final TenantTransactions tenants;
    private final TransactionOperations<Connection> transactions;
    private final AuditLog audit;
    private final OnboardingMail mail;
    private final OnboardingSettings settings;
    private final UserAccounts accounts;
    private final RoleAssignments roles;

    public AdminInvitations(TenantTransactions tenants, TransactionOperations<Connection> transactions, AuditLog audit,
                            OnboardingMail mail, OnboardingSettings settings, UserAccounts accounts, RoleAssignments roles) {
        this.tenants = tenants;
        this.transactions = transactions;
        this.audit = audit;
        this.mail = mail;
        this.settings = settings;
        this.accounts = accounts;
        this.roles = roles;
    }

    /** One invitation as an admin sees it; {@code state}: pending, sent, failed, expired, accepted. */
    @Serdeable
    public record Invitation(UUID id, String email, String role, String language, String state,
                             @Nullable Instant sentAt, @Nullable String sendError, @Nullable Instant expiresAt,
                             @Nullable Instant acceptedAt, Instant createdAt) {
    }

    /** What the acceptance page shows about a link before it is accepted. */
    public record Pending(TenantId tenant, String tenantSlug, String tenantNameZh, String tenantNameEn, String email,
                          Instant expiresAt, List<String> issuers) {
    }

    /** What accepting did. */
    @Serdeable
    public record Accepted(UUID tenantId, String tenantSlug, String role, UUID userId) {
    }

    /** Inserts an invitation (on the caller's connection, bound to the invited tenant) unless it exists. */
    int insert(Connection c, UUID id, String email, String language, @Nullable UUID applicationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into admin_invitation (tenant_id, id, email, language, "
                + "application_id) values (app_tenant(), ?, ?, ?, ?) "
                + "on conflict do nothing")) {
            ps.setObject(1, id);
            ps.setString(2, email);
            ps.setString(3, language);
            ps.setObject(4, applicationId);
            return ps.executeUpdate();
        }
    }

    /** Invites one more institution admin to a tenant (a network admin, for a member). */
    public Invitation invite(TenantId tenant, AuditEntry.Actor actor, String email, String language) {
        ApplicationValidator.Result checked = ApplicationValidator.validate(new ApplicationInput(null, "-", "-", null, null,
                "-", email, language, null, null, null, null, List.of()), ApplicationValidator.Mode.INVITATION);
        List<ProblemException.FieldProblem> problems = checked.problems().stream().map(p -> "contactEmail".equals(p.field())
                ? new ProblemException.FieldProblem("email", p.code(), p.messageKey(), p.args()) : p).toList();
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
        UUID id = UUID.randomUUID();
        tenants.inTenant(tenant, c -> {
            insert(c, id, checked.value().contactEmail(), checked.value().language(), null);
            audit.append(c, actor.entry("admin_invitation.created", "admin_invitation", id.toString(),
                    Map.of("role", Role.INSTITUTION_ADMIN.id())));
            return null;
        });
        return send(tenant, actor, id);
    }

    /** Sends every invitation of the tenant that was never sent successfully and is not accepted. */
    public void sendPending(TenantId tenant) {
        List<UUID> pending = tenants.inTenant(tenant, c -> {
            List<UUID> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select id from admin_invitation "
                    + "where sent_at is null and accepted_at is null order by created_at, id")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            return ids;
        });
        for (UUID id : pending) {
            send(tenant, AuditEntry.Actor.SYSTEM, id);
        }
    }

    /** (Re)sends one invitation with a fresh link; a refused mail is recorded on it, not thrown. */
    public Invitation send(TenantId tenant, AuditEntry.Actor actor, UUID id) {
        String token = Tokens.random();
        Instant expires = Instant.now().plus(settings.getInvitationLifetime());
        Invitation inv = tenants.inTenant(tenant, c -> {
            Invitation current = find(c, id).orElseThrow(ProblemException::notFound);
            if (current.acceptedAt() != null) {
                throw ApplicationStore.wrongState("accepted");
            }
            try (PreparedStatement ps = c.prepareStatement("update admin_invitation set token_hash = ?, expires_at = ?, "
                    + "sent_at = null, send_error = null where id = ?")) {
                ps.setString(1, Tokens.hash(token));
                ps.setTimestamp(2, Timestamp.from(expires));
                ps.setObject(3, id);
                ps.executeUpdate();
            }
            return current;
        });
        var t = transactions.executeRead(s -> TenantRegistry.find(s.getConnection(), tenant.value())).orElseThrow();
        String error = null;
        try {
            mail.adminInvited(inv.email(), inv.language(), "en".equals(inv.language()) ? t.nameEn() : t.nameZh(),
                    mail.link("/onboarding/invitations/" + tenant + "/" + token + "?lang=" + inv.language()), expires,
                    t.timeZone());
        } catch (RuntimeException e) {
            LOG.warn("invitation {} of tenant {} not mailed: {}", id, t.slug(), e.getMessage());
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        String sendError = error == null ? null : error.substring(0, Math.min(error.length(), 500));
        return tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("update admin_invitation set sent_at = case when ? then now() end, "
                    + "send_error = ? where id = ?")) {
                ps.setBoolean(1, sendError == null);
                ps.setString(2, sendError);
                ps.setObject(3, id);
                ps.executeUpdate();
            }
            Map<String, Object> details = new HashMap<>();
            details.put("sent", sendError == null);
            details.put("expiresAt", expires.toString());
            audit.append(c, actor.entry("admin_invitation.sent", "admin_invitation", id.toString(), details));
            return find(c, id).orElseThrow();
        });
    }

    public List<Invitation> list(TenantId tenant) {
        return tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " order by created_at, id")) {
                return readAll(ps);
            }
        });
    }

    /** The invitation behind a link, if it is still open (not accepted, not expired). */
    public Optional<Pending> pending(TenantId tenant, String token) {
        if (!Tokens.plausible(token)) {
            return Optional.empty();
        }
        var t = transactions.executeRead(s -> TenantRegistry.find(s.getConnection(), tenant.value()));
        if (t.isEmpty() || !"active".equals(t.get().status())) {
            return Optional.empty();
        }
        return tenants.inTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("select email, expires_at from admin_invitation "
                    + "where token_hash = ? and accepted_at is null and expires_at > now()")) {
                ps.setString(1, Tokens.hash(token));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Pending>empty();
                    }
                    return Optional.of(new Pending(tenant, t.get().slug(), t.get().nameZh(), t.get().nameEn(),
                            rs.getString(1), rs.getTimestamp(2).toInstant(), issuers(c)));
                }
            }
        });
    }

    /**
     * Accepts the invitation behind {@code token} for the person (issuer, subject) who signed in:
     * the issuer must be one the tenant trusts. Grants institution admin on the tenant. Unknown
     * link: 404; used: 409 {@code invitation_used}; expired: 410 {@code invitation_expired}.
     */
    public Accepted accept(TenantId tenant, String token, String issuer, String subject, @Nullable String displayName,
                           @Nullable String email) {
        if (!Tokens.plausible(token)) {
            throw ProblemException.notFound();
        }
        var t = transactions.executeRead(s -> TenantRegistry.find(s.getConnection(), tenant.value()))
                .orElseThrow(ProblemException::notFound);
        if ("suspended".equals(t.status())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "tenant_suspended");
        }
        if (!"active".equals(t.status())) {
            throw ProblemException.notFound();
        }
        AuditEntry.Actor actor = new AuditEntry.Actor(issuer, subject, tenant.toString());
        return tenants.inTenant(tenant, c -> {
            UUID id;
            Instant expires;
            Instant accepted;
            try (PreparedStatement ps = c.prepareStatement("select id, expires_at, accepted_at from admin_invitation "
                    + "where token_hash = ? for update")) {
                ps.setString(1, Tokens.hash(token));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound();
                    }
                    id = rs.getObject(1, UUID.class);
                    expires = rs.getTimestamp(2).toInstant();
                    accepted = TenantRegistry.instant(rs.getTimestamp(3));
                }
            }
            if (accepted != null) {
                throw new ProblemException(HttpStatus.CONFLICT, "invitation_used");
            }
            if (!expires.isAfter(Instant.now())) {
                throw new ProblemException(HttpStatus.GONE, "invitation_expired");
            }
            if (!issuers(c).contains(issuer)) {
                throw new ProblemException(HttpStatus.FORBIDDEN, "wrong_identity_provider");
            }
            UUID userId = accounts.resolve(new CallerResolver.VerifiedPrincipal(issuer, subject, tenant, displayName, email));
            // the token's hash stays, so opening the link again says "already accepted" rather than "unknown"
            try (PreparedStatement ps = c.prepareStatement("update admin_invitation set accepted_at = now(), "
                    + "accepted_user_id = ? where id = ?")) {
                ps.setObject(1, userId);
                ps.setObject(2, id);
                ps.executeUpdate();
            }
            audit.append(c, actor.entry("admin_invitation.accepted", "admin_invitation", id.toString(),
                    Map.of("userId", userId.toString(), "role", Role.INSTITUTION_ADMIN.id())));
            roles.grant(tenant, userId, Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, userId);
            return new Accepted(tenant.value(), t.slug(), Role.INSTITUTION_ADMIN.id(), userId);
        });
    }

    /** The enabled issuers the tenant trusts (its users sign in with one of them). */
    private static List<String> issuers(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select issuer from trusted_issuer where enabled order by created_at, issuer");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static final String SELECT = "select id, email, role, language, token_hash is not null, sent_at, send_error, "
            + "expires_at, accepted_at, created_at from admin_invitation";

    private static Optional<Invitation> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " where id = ?")) {
            ps.setObject(1, id);
            return readAll(ps).stream().findFirst();
        }
    }

    private static List<Invitation> readAll(PreparedStatement ps) throws SQLException {
        List<Invitation> out = new ArrayList<>();
        Instant now = Instant.now();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Instant sent = TenantRegistry.instant(rs.getTimestamp(6));
                String error = rs.getString(7);
                Instant expires = TenantRegistry.instant(rs.getTimestamp(8));
                Instant accepted = TenantRegistry.instant(rs.getTimestamp(9));
                String state = accepted != null ? "accepted"
                        : error != null ? "failed"
                        : sent == null ? "pending"
                        : expires != null && !expires.isAfter(now) ? "expired" : "sent";
                out.add(new Invitation(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                        state, sent, error, expires, accepted, TenantRegistry.instant(rs.getTimestamp(10))));
            }
        }
        return out;
    }
}
