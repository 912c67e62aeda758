package org.labcommons.tenantadmin.onboarding;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of the global tenant registry as onboarding reads it ({@code tenant}: no tenant's
 * business data, no row level security, so these reads work in any transaction, bound or not).
 * Its writes (provisioning, activation, suspension) are called by {@link Provisioner} and
 * {@link MemberService}, each audited.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TenantRegistryRows extends GenericRepository<TenantRegistryRows.TenantRow, UUID> {

    /** One registry row. */
    @MappedEntity("tenant")
    record TenantRow(@Id UUID id, String slug, String kind, String nameZh, String nameEn, @Nullable UUID parentId,
                     @Nullable String regionCode, String status, String timeZone, long version,
                     @Nullable Instant statusChangedAt, @Nullable String statusReason, Instant createdAt) {
    }

    /** Whether {@code t} is a network or the consortium (which review applications). */
    static boolean isNetwork(TenantRow t) {
        return "network".equals(t.kind()) || "consortium".equals(t.kind());
    }

    Optional<TenantRow> findById(UUID id);

    /** The row, locked until the transaction ends. */
    @Query("select * from tenant where id = :id for update")
    Optional<TenantRow> lock(UUID id);

    Optional<TenantRow> findBySlug(String slug);

    /** Active networks and the consortium: where an institution may apply (networks first, each by slug). */
    @Query("select * from tenant where kind in ('network', 'consortium') and status = 'active' "
            + "order by case kind when 'network' then 0 else 1 end, slug")
    List<TenantRow> openNetworks();

    /** A new institution under {@code parentId}, in status {@code provisioning} (a taken slug fails: 23505). */
    @Query("insert into tenant (id, slug, kind, name_zh, name_en, parent_id, region_code, status, time_zone, "
            + "status_changed_at) values (:id, :slug, 'institution', :nameZh, :nameEn, :parentId, :regionCode, "
            + "'provisioning', :timeZone, now())")
    long insertProvisioning(UUID id, String slug, String nameZh, String nameEn, UUID parentId,
                            @Nullable String regionCode, @Nullable String timeZone);

    /**
     * Claims {@code issuer} for the tenant being provisioned ({@code trusted_issuer_claim}, global:
     * one tenant per issuer); an issuer another tenant holds, or is claiming in a transaction not
     * yet committed, fails with a unique violation (23505, after that transaction ends).
     */
    @Query("insert into trusted_issuer_claim (issuer, claimed_by) values (:issuer, :tenantId)")
    long claimIssuer(String issuer, UUID tenantId);

    /** A provisioned tenant becomes active (a tenant in any other status stays as it is). */
    @Query("update tenant set status = 'active', status_changed_at = now(), version = version + 1 "
            + "where id = :id and status = 'provisioning'")
    long activate(UUID id);

    /** Suspension or reactivation, with the reason. */
    @Query("update tenant set status = :status, status_changed_at = now(), status_reason = :reason, "
            + "version = version + 1 where id = :id")
    long changeStatus(UUID id, String status, String reason);
}
