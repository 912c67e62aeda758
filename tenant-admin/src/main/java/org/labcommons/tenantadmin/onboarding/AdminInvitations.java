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
import org.labcommons.core.security.TrustedIssuerRows;
import org.labcommons.core.security.UserAccounts;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Instant;
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
public record AdminInvitations(TenantTransactions tenants,
                               TransactionOperations<Connection> transactions,
                               AuditLog audit,
                               OnboardingMail mail,
                               OnboardingSettings settings,
                               UserAccounts accounts,
                               RoleAssignments roles,
                               AdminInvitationRows rows,
                               TenantRegistryRows registry,
                               TrustedIssuerRows issuers) {
    private static final Logger LOG = LoggerFactory.getLogger(AdminInvitations.class);

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

    /** Inserts an invitation unless it exists, in the transaction of {@code c} (bound to the invited tenant). */
    int insert(Connection c, UUID id, String email, String language, @Nullable UUID applicationId) {
        return rows.insert(id, email, language, applicationId);
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
        List<UUID> pending = tenants.inTenant(tenant, c -> rows.unsent());
        for (UUID id : pending) {
            send(tenant, AuditEntry.Actor.SYSTEM, id);
        }
    }

    /** (Re)sends one invitation with a fresh link; a refused mail is recorded on it, not thrown. */
    public Invitation send(TenantId tenant, AuditEntry.Actor actor, UUID id) {
        String token = Tokens.random();
        Instant expires = Instant.now().plus(settings.getInvitationLifetime());
        Invitation inv = tenants.inTenant(tenant, c -> {
            Invitation current = find(id).orElseThrow(ProblemException::notFound);
            if (current.acceptedAt() != null) {
                throw ApplicationStore.wrongState("accepted");
            }
            rows.renew(id, Tokens.hash(token), expires);
            return current;
        });
        var t = transactions.executeRead(s -> registry.findById(tenant.value())).orElseThrow();
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
            rows.mailed(id, sendError == null, sendError);
            Map<String, Object> details = new HashMap<>();
            details.put("sent", sendError == null);
            details.put("expiresAt", expires.toString());
            audit.append(c, actor.entry("admin_invitation.sent", "admin_invitation", id.toString(), details));
            return find(id).orElseThrow();
        });
    }

    public List<Invitation> list(TenantId tenant) {
        Instant now = Instant.now();
        return tenants.inTenant(tenant, c -> rows.all().stream().map(r -> invitation(r, now)).toList());
    }

    /** The invitation behind a link, if it is still open (not accepted, not expired). */
    public Optional<Pending> pending(TenantId tenant, String token) {
        if (!Tokens.plausible(token)) {
            return Optional.empty();
        }
        var t = transactions.executeRead(s -> registry.findById(tenant.value()));
        if (t.isEmpty() || !"active".equals(t.get().status())) {
            return Optional.empty();
        }
        return tenants.inTenant(tenant, c -> rows.open(Tokens.hash(token)).map(r -> new Pending(tenant, t.get().slug(),
                t.get().nameZh(), t.get().nameEn(), r.email(), r.expiresAt(), issuers.enabledIssuersOldestFirst())));
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
        var t = transactions.executeRead(s -> registry.findById(tenant.value()))
                .orElseThrow(ProblemException::notFound);
        if ("suspended".equals(t.status())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "tenant_suspended");
        }
        if (!"active".equals(t.status())) {
            throw ProblemException.notFound();
        }
        AuditEntry.Actor actor = new AuditEntry.Actor(issuer, subject, tenant.toString());
        return tenants.inTenant(tenant, c -> {
            AdminInvitationRows.Row found = rows.lockByToken(Tokens.hash(token)).orElseThrow(ProblemException::notFound);
            UUID id = found.id();
            Instant expires = found.expiresAt();
            Instant accepted = found.acceptedAt();
            if (accepted != null) {
                throw new ProblemException(HttpStatus.CONFLICT, "invitation_used");
            }
            if (!expires.isAfter(Instant.now())) {
                throw new ProblemException(HttpStatus.GONE, "invitation_expired");
            }
            if (!issuers.enabledIssuersOldestFirst().contains(issuer)) {
                throw new ProblemException(HttpStatus.FORBIDDEN, "wrong_identity_provider");
            }
            UUID userId = accounts.resolve(new CallerResolver.VerifiedPrincipal(issuer, subject, tenant, displayName, email));
            // the token's hash stays, so opening the link again says "already accepted" rather than "unknown"
            rows.accepted(id, userId);
            audit.append(c, actor.entry("admin_invitation.accepted", "admin_invitation", id.toString(),
                    Map.of("userId", userId.toString(), "role", Role.INSTITUTION_ADMIN.id())));
            roles.grant(tenant, userId, Role.INSTITUTION_ADMIN, ScopeType.TENANT, null, userId);
            return new Accepted(tenant.value(), t.slug(), Role.INSTITUTION_ADMIN.id(), userId);
        });
    }

    private Optional<Invitation> find(UUID id) {
        Instant now = Instant.now();
        return rows.findById(id).map(r -> invitation(r, now));
    }

    /** The row as an admin sees it, its state as of {@code now}. */
    private static Invitation invitation(AdminInvitationRows.Row r, Instant now) {
        String state = r.acceptedAt() != null ? "accepted"
                : r.sendError() != null ? "failed"
                : r.sentAt() == null ? "pending"
                : r.expiresAt() != null && !r.expiresAt().isAfter(now) ? "expired" : "sent";
        return new Invitation(r.id(), r.email(), r.role(), r.language(), state, r.sentAt(), r.sendError(), r.expiresAt(),
                r.acceptedAt(), r.createdAt());
    }
}
