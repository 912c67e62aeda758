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
 * The store of {@code admin_invitation}. Call it inside {@code TenantTransactions.inTenant(tenant, …)}
 * for the invited tenant: row level security limits every statement to it.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AdminInvitationRows extends GenericRepository<AdminInvitationRows.Row, UUID> {

    /** The columns of an invitation that the service reads. */
    @MappedEntity("admin_invitation")
    record Row(@Id UUID id, String email, String role, String language, @Nullable Instant sentAt,
               @Nullable String sendError, @Nullable Instant expiresAt, @Nullable Instant acceptedAt, Instant createdAt) {
    }

    /** Inserts an invitation for the bound tenant unless it exists: 1, or 0 when it did. */
    @Query("insert into admin_invitation (tenant_id, id, email, language, application_id) "
            + "values (app_tenant(), :id, :email, :language, cast(:applicationId as uuid)) on conflict do nothing")
    int insert(UUID id, String email, String language, @Nullable UUID applicationId);

    Optional<Row> findById(UUID id);

    /** Every invitation of the bound tenant, oldest first. */
    @Query("select * from admin_invitation order by created_at, id")
    List<Row> all();

    /** The invitations never sent successfully and not accepted, oldest first. */
    @Query("select id from admin_invitation where sent_at is null and accepted_at is null order by created_at, id")
    List<UUID> unsent();

    /** A new link: its token's hash and expiry; not sent yet. */
    @Query("update admin_invitation set token_hash = :tokenHash, expires_at = :expiresAt, sent_at = null, "
            + "send_error = null where id = :id")
    long renew(UUID id, String tokenHash, Instant expiresAt);

    /** The outcome of mailing the link: sent now, or the mail server's error. */
    @Query("update admin_invitation set sent_at = case when cast(:sent as boolean) then now() end, "
            + "send_error = :sendError where id = :id")
    long mailed(UUID id, boolean sent, @Nullable String sendError);

    /** The open invitation (not accepted, not expired) whose token hashes to {@code tokenHash}. */
    @Query("select * from admin_invitation where token_hash = :tokenHash and accepted_at is null and expires_at > now()")
    Optional<Row> open(String tokenHash);

    /** The invitation whose token hashes to {@code tokenHash}, whatever its state, locked until the transaction ends. */
    @Query("select * from admin_invitation where token_hash = :tokenHash for update")
    Optional<Row> lockByToken(String tokenHash);

    @Query("update admin_invitation set accepted_at = now(), accepted_user_id = :userId where id = :id")
    long accepted(UUID id, UUID userId);
}
