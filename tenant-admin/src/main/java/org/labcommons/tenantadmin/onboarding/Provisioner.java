package org.labcommons.tenantadmin.onboarding;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Approval of an application, which provisions the institution's tenant in order:
 * <ol>
 *   <li>(network's transaction) the state moves to {@code provisioning} and the tenant row is
 *       created with status {@code provisioning}, parent = the network; audited;</li>
 *   <li>(the new tenant's transaction) default org units, the identity-provider registration,
 *       default rate groups (internal, consortium, external) and the invitations of its first
 *       institution admins; audited in the new tenant's log;</li>
 *   <li>(network's transaction) the tenant becomes {@code active} and the application
 *       {@code approved}; audited;</li>
 *   <li>the invitation mails are sent (after the commit; a failed mail is recorded and can be
 *       sent again).</li>
 * </ol>
 * Every step is idempotent (fixed ids derived from the tenant, inserts that skip what exists),
 * so an approval that failed midway is resumed by approving again. Until step 3 the tenant is
 * invisible: not listed, its issuer not trusted, nobody can act in it.
 */
@Singleton
public class Provisioner {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);

    /** A unit every new institution starts with (code, kind, names, platform level, management mode). */
    record DefaultUnit(String code, String kind, String nameZh, String nameEn, Integer level, String mode) {
    }

    /** A rate group every new institution starts with. */
    record DefaultRateGroup(String code, String nameZh, String nameEn) {
    }

    static final List<DefaultUnit> DEFAULT_UNITS = List.of(
            new DefaultUnit("LAB-OFFICE", "department", "实验室与设备管理处", "Laboratory and Equipment Management Office", null, null),
            new DefaultUnit("ATC", "platform", "分析测试中心", "Analysis and Testing Center", 1, "central"));

    static final List<DefaultRateGroup> DEFAULT_RATE_GROUPS = List.of(
            new DefaultRateGroup("internal", "校内用户", "Internal users"),
            new DefaultRateGroup("consortium", "联盟成员单位用户", "Consortium member users"),
            new DefaultRateGroup("external", "校外用户", "External users"));

    private final TenantTransactions tenants;
    private final AuditLog audit;
    private final AdminInvitations invitations;
    private final String audience;

    public Provisioner(TenantTransactions tenants, AuditLog audit, AdminInvitations invitations,
                       @Value("${labcommons.oidc.audience:labcommons}") String audience) {
        this.tenants = tenants;
        this.audit = audit;
        this.invitations = invitations;
        this.audience = audience;
    }

    /** Approves (or resumes approving) the application; returns it approved. */
    public Application approve(TenantId network, AuditEntry.Actor actor, UUID applicationId) {
        Application claimed = tenants.inTenant(network, c -> claim(c, network, actor, applicationId));
        TenantId tenant = new TenantId(claimed.provisionedTenantId());
        tenants.inTenant(tenant, c -> {
            provisionInside(c, tenant, claimed, actor);
            return null;
        });
        Application approved = tenants.inTenant(network, c -> activate(c, actor, applicationId, tenant));
        invitations.sendPending(tenant);
        return approved;
    }

    /** Step 1: submitted -> provisioning with a new tenant row, or provisioning as it is (a retry). */
    private Application claim(Connection c, TenantId network, AuditEntry.Actor actor, UUID id) throws SQLException {
        Application app = ApplicationStore.lock(c, id).orElseThrow(ProblemException::notFound);
        if ("provisioning".equals(app.status())) {
            return app;
        }
        if (!"submitted".equals(app.status())) {
            throw ApplicationStore.wrongState(app.status());
        }
        ApplicationValidator.Result checked = ApplicationValidator.validate(app.input(), ApplicationValidator.Mode.COMPLETE);
        if (!checked.valid()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", checked.problems());
        }
        ApplicationInput v = checked.value();
        if (TenantRegistry.findBySlug(c, v.slug()).isPresent()) {
            throw ApplicationStore.slugTaken();
        }
        if (issuerTrusted(c, v.issuerUrl())) {
            throw new ProblemException(HttpStatus.CONFLICT, "conflict", List.of(
                    new FieldProblem("issuerUrl", "taken", "validation.taken", Map.of())));
        }
        UUID tenantId = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("insert into tenant (id, slug, kind, name_zh, name_en, parent_id, "
                + "region_code, status, time_zone, status_changed_at) values (?, ?, 'institution', ?, ?, ?, ?, 'provisioning', ?, now())")) {
            ps.setObject(1, tenantId);
            ps.setString(2, v.slug());
            ps.setString(3, v.nameZh());
            ps.setString(4, v.nameEn());
            ps.setObject(5, network.value());
            ps.setString(6, v.regionCode());
            ps.setString(7, v.timeZone());
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {   // another network's approval took the slug first
                throw ApplicationStore.slugTaken();
            }
            throw e;
        }
        try (PreparedStatement ps = c.prepareStatement("update onboarding_application set status = 'provisioning', "
                + "provisioned_tenant_id = ?, reviewed_at = now(), reviewer_issuer = ?, reviewer_subject = ?, "
                + "updated_at = now(), version = version + 1 where id = ?")) {
            ps.setObject(1, tenantId);
            ps.setString(2, actor.issuer());
            ps.setString(3, actor.subject());
            ps.setObject(4, id);
            ps.executeUpdate();
        }
        Map<String, Object> details = new HashMap<>();
        details.put("tenantId", tenantId.toString());
        details.put("slug", v.slug());
        audit.append(c, actor.entry("onboarding.application.approved", "onboarding_application", id.toString(), details));
        return ApplicationStore.find(c, id).orElseThrow();
    }

    /** Step 2, in the new tenant: everything it starts with; skips what a previous attempt made. */
    private void provisionInside(Connection c, TenantId tenant, Application app, AuditEntry.Actor actor) throws SQLException {
        ApplicationInput v = ApplicationValidator.validate(app.input(), ApplicationValidator.Mode.COMPLETE).value();
        int units = 0;
        try (PreparedStatement ps = c.prepareStatement("insert into org_unit (tenant_id, id, kind, code, name_zh, name_en, "
                + "platform_level, management_mode) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing")) {
            for (DefaultUnit u : DEFAULT_UNITS) {
                ps.setObject(1, tenant.value());
                ps.setObject(2, derived(tenant, "unit", u.code()));
                ps.setString(3, u.kind());
                ps.setString(4, u.code());
                ps.setString(5, u.nameZh());
                ps.setString(6, u.nameEn());
                ps.setObject(7, u.level());
                ps.setString(8, u.mode());
                units += ps.executeUpdate();
            }
        }
        int issuers;
        try (PreparedStatement ps = c.prepareStatement("insert into trusted_issuer (tenant_id, id, issuer, audience, "
                + "client_id, name_claim, email_claim) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing")) {
            ps.setObject(1, tenant.value());
            ps.setObject(2, derived(tenant, "issuer", v.issuerUrl()));
            ps.setString(3, v.issuerUrl());
            ps.setString(4, audience);
            ps.setString(5, v.clientId());
            ps.setString(6, v.nameClaim());
            ps.setString(7, v.emailClaim());
            issuers = ps.executeUpdate();
        }
        int groups = 0;
        try (PreparedStatement ps = c.prepareStatement("insert into rate_group (tenant_id, id, code, name_zh, name_en) "
                + "values (?, ?, ?, ?, ?) on conflict do nothing")) {
            for (DefaultRateGroup g : DEFAULT_RATE_GROUPS) {
                ps.setObject(1, tenant.value());
                ps.setObject(2, derived(tenant, "rate-group", g.code()));
                ps.setString(3, g.code());
                ps.setString(4, g.nameZh());
                ps.setString(5, g.nameEn());
                groups += ps.executeUpdate();
            }
        }
        int admins = 0;
        for (String email : v.adminEmails()) {
            admins += invitations.insert(c, derived(tenant, "admin", email.toLowerCase(Locale.ROOT)), email, v.language(),
                    app.id());
        }
        if (units + issuers + groups + admins > 0) {
            Map<String, Object> details = new HashMap<>();
            details.put("applicationId", app.id().toString());
            details.put("orgUnits", units);
            details.put("issuer", v.issuerUrl());
            details.put("rateGroups", groups);
            details.put("adminInvitations", admins);
            audit.append(c, actor.entry("tenant.provisioned", "tenant", tenant.toString(), details));
        }
    }

    /** Step 3: the tenant becomes active, the application approved. */
    private Application activate(Connection c, AuditEntry.Actor actor, UUID id, TenantId tenant) throws SQLException {
        Application app = ApplicationStore.lock(c, id).orElseThrow(ProblemException::notFound);
        if (!"provisioning".equals(app.status())) {
            return app;   // a concurrent approval finished first
        }
        try (PreparedStatement ps = c.prepareStatement("update tenant set status = 'active', status_changed_at = now(), "
                + "version = version + 1 where id = ? and status = 'provisioning'")) {
            ps.setObject(1, tenant.value());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("update onboarding_application set status = 'approved', "
                + "updated_at = now(), version = version + 1 where id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
        audit.append(c, actor.entry("tenant.activated", "tenant", tenant.toString(), Map.of("applicationId", id.toString())));
        LOG.info("tenant {} ({}) provisioned and active", app.slug(), tenant);
        return ApplicationStore.find(c, id).orElseThrow();
    }

    /** Whether an active or suspended tenant already trusts this issuer (the reviewed lookup sees all tenants). */
    static boolean issuerTrusted(Connection c, String issuer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from trusted_issuer_lookup(?)")) {
            ps.setString(1, issuer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A fixed id for something a tenant is provisioned with, so a retry finds what the first try made. */
    static UUID derived(TenantId tenant, String kind, String key) {
        return UUID.nameUUIDFromBytes(("labcommons-onboarding:" + tenant + "/" + kind + "/" + key)
                .getBytes(StandardCharsets.UTF_8));
    }
}
