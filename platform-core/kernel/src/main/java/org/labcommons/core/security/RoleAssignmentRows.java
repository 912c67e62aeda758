package org.labcommons.core.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The store of role assignments. Runs inside {@code TenantTransactions.inTenant}, so the RLS
 * policy on {@code role_assignment} keeps every statement to the bound tenant.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RoleAssignmentRows extends GenericRepository<RoleAssignmentRow, UUID> {

    /** The user's assignments in the bound tenant, oldest first. */
    @Query("select * from role_assignment where user_id = :userId order by granted_at, id")
    List<RoleAssignmentRow> ofUser(UUID userId);

    /**
     * Grants unless the same (user, role, scope) is already held; 1 when granted, 0 when it was
     * held. {@code tenantId} must be the bound tenant (the policy refuses any other).
     */
    @Query("insert into role_assignment (tenant_id, id, user_id, role, scope_type, scope_id, granted_at, granted_by) "
            + "values (:tenantId, :id, :userId, :role, :scopeType, :scopeId, now(), :grantedBy) on conflict do nothing")
    long grant(UUID tenantId, UUID id, UUID userId, String role, String scopeType, @Nullable UUID scopeId,
               @Nullable UUID grantedBy);

    Optional<RoleAssignmentRow> findByIdAndScopeTypeAndScopeId(UUID id, String scopeType, UUID scopeId);

    long deleteById(UUID id);

    /** Who holds a role on one scope (with their accounts), in the order granted. */
    @Query("select r.id as assignment_id, u.id as user_id, u.issuer, u.subject, u.display_name, r.role, r.granted_at "
            + "from role_assignment r join user_account u on u.id = r.user_id "
            + "where r.scope_type = :scopeType and r.scope_id = :scopeId order by r.granted_at, r.id")
    List<RoleHolder> holders(String scopeType, UUID scopeId);
}
