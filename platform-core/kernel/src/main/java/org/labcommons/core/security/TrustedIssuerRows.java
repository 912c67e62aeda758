package org.labcommons.core.security;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.UUID;

/**
 * The store of trusted issuers: the bound tenant's own {@code trusted_issuer} rows (RLS: inside
 * {@code TenantTransactions.inTenant}), and the lookup by issuer before any tenant is known.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TrustedIssuerRows extends GenericRepository<TrustedIssuerRows.Row, UUID> {

    /** The key columns of a {@code trusted_issuer} row (what the statements here need). */
    @MappedEntity("trusted_issuer")
    record Row(UUID tenantId, @Id UUID id, String issuer, boolean enabled) {
    }

    /** What {@code trusted_issuer_lookup} tells of one tenant trusting an issuer. */
    @Introspected
    record Trust(UUID tenantId, String audience, String[] algorithms, String tenantStatus, @Nullable String clientId,
                 @Nullable String nameClaim, @Nullable String emailClaim) {
    }

    /**
     * The tenants (active or suspended) trusting exactly this issuer string, through the reviewed
     * {@code trusted_issuer_lookup} function: the one read of {@code trusted_issuer} before any
     * tenant is known.
     */
    @Query("select tenant_id, audience, algorithms, tenant_status, client_id, name_claim, email_claim "
            + "from trusted_issuer_lookup(:issuer)")
    List<Trust> lookup(String issuer);

    /** An institution a person may sign in through, as {@code login_institutions()} lists it. */
    @Introspected
    record LoginInstitution(UUID tenantId, String slug, String nameZh, String nameEn, String issuer) {
    }

    /**
     * Every active institution's enabled issuers that it holds the claim of, with its slug and
     * names, through the reviewed {@code login_institutions} function (V26): what the sign-in
     * page's institution chooser lists, before any tenant is known.
     */
    @Query("select tenant_id, slug, name_zh, name_en, issuer from login_institutions()")
    List<LoginInstitution> loginInstitutions();

    /** The issuer URLs the bound tenant trusts, enabled ones only, in order. */
    @Query("select issuer from trusted_issuer where enabled order by issuer")
    List<String> enabledIssuers();

    /** The issuer URLs the bound tenant trusts, enabled ones only, the longest trusted first. */
    @Query("select issuer from trusted_issuer where enabled order by created_at, issuer")
    List<String> enabledIssuersOldestFirst();
}
