package org.labcommons.tenantadmin.onboarding;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.db.SqlStates;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.security.TrustedIssuerRows;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
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

    private final ApplicationRows applications;
    private final TenantRegistryRows registry;
    private final TrustedIssuerRows trust;
    private final ProvisioningRows provisioning;
    private final IssuerRules issuerRules;

    public Provisioner(TenantTransactions tenants, AuditLog audit, AdminInvitations invitations,
                       @Value("${labcommons.oidc.audience:labcommons}") String audience, ApplicationRows applications,
                       TenantRegistryRows registry, TrustedIssuerRows trust, ProvisioningRows provisioning,
                       IssuerRules issuerRules) {
        this.issuerRules = issuerRules;
        this.provisioning = provisioning;
        this.applications = applications;
        this.registry = registry;
        this.trust = trust;
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
        Application app = applications.lock(id).orElseThrow(ProblemException::notFound);
        if ("provisioning".equals(app.status())) {
            return app;
        }
        if (!"submitted".equals(app.status())) {
            throw ApplicationStore.wrongState(app.status());
        }
        ApplicationValidator.Result checked = ApplicationValidator.validate(app.input(), ApplicationValidator.Mode.COMPLETE,
                issuerRules);
        if (!checked.valid()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", checked.problems());
        }
        // approval needs a passed test of the identity provider the application names now (IdentityProviderTests)
        if (applications.idpTestPassedAt(id).isEmpty()) {
            throw IdentityProviderTests.notTested();
        }
        ApplicationInput v = checked.value();
        if (registry.findBySlug(v.slug()).isPresent()) {
            throw ApplicationStore.slugTaken();
        }
        if (issuerTrusted(v.issuerUrl())) {
            throw IssuerRules.taken();
        }
        UUID tenantId = UUID.randomUUID();
        // another network's approval may take the slug first (23505)
        ApplicationStore.slugChecked(() -> registry.insertProvisioning(tenantId, v.slug(), v.nameZh(), v.nameEn(),
                network.value(), v.regionCode(), v.timeZone()));
        // the issuer is claimed for the new tenant (global, unique): of two approvals naming one
        // issuer, the second waits for the first and then fails here (23505), leaving nothing behind
        try {
            registry.claimIssuer(v.issuerUrl(), tenantId);
        } catch (RuntimeException e) {
            if (SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {
                throw IssuerRules.taken();
            }
            throw e;
        }
        applications.provisioning(id, tenantId, actor.issuer(), actor.subject());
        Map<String, Object> details = new HashMap<>();
        details.put("tenantId", tenantId.toString());
        details.put("slug", v.slug());
        audit.append(c, actor.entry("onboarding.application.approved", "onboarding_application", id.toString(), details));
        return applications.find(id).orElseThrow();
    }

    /** Step 2, in the new tenant: everything it starts with; skips what a previous attempt made. */
    private void provisionInside(Connection c, TenantId tenant, Application app, AuditEntry.Actor actor) throws SQLException {
        ApplicationInput v = ApplicationValidator.validate(app.input(), ApplicationValidator.Mode.COMPLETE).value();
        int units = 0;
        for (DefaultUnit u : DEFAULT_UNITS) {
            units += provisioning.orgUnit(tenant.value(), derived(tenant, "unit", u.code()), u.kind(), u.code(), u.nameZh(),
                    u.nameEn(), u.level(), u.mode());
        }
        int issuers = provisioning.trustedIssuer(tenant.value(), derived(tenant, "issuer", v.issuerUrl()), v.issuerUrl(),
                audience, v.clientId(), v.nameClaim(), v.emailClaim());
        int groups = 0;
        for (DefaultRateGroup g : DEFAULT_RATE_GROUPS) {
            groups += provisioning.rateGroup(tenant.value(), derived(tenant, "rate-group", g.code()), g.code(), g.nameZh(),
                    g.nameEn());
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
        Application app = applications.lock(id).orElseThrow(ProblemException::notFound);
        if (!"provisioning".equals(app.status())) {
            return app;   // a concurrent approval finished first
        }
        registry.activate(tenant.value());
        applications.approved(id);
        audit.append(c, actor.entry("tenant.activated", "tenant", tenant.toString(), Map.of("applicationId", id.toString())));
        LOG.info("tenant {} ({}) provisioned and active", app.slug(), tenant);
        return applications.find(id).orElseThrow();
    }

    /** Whether an active or suspended tenant already trusts this issuer (the reviewed lookup sees all tenants). */
    boolean issuerTrusted(String issuer) {
        return !trust.lookup(issuer).isEmpty();
    }

    /** A fixed id for something a tenant is provisioned with, so a retry finds what the first try made. */
    static UUID derived(TenantId tenant, String kind, String key) {
        return UUID.nameUUIDFromBytes(("labcommons-onboarding:" + tenant + "/" + kind + "/" + key)
                .getBytes(StandardCharsets.UTF_8));
    }
}
