package org.labcommons.core.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;
import java.util.UUID;

/**
 * The store of user accounts. {@code user_account} is global (no tenant column, no RLS); accounts
 * are created inside the tenant transaction of the change that needs them, with its audit entry.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UserAccountRows extends GenericRepository<UserAccountRow, UUID> {

    @Query("select id from user_account where issuer = :issuer and subject = :subject")
    Optional<UUID> idOf(String issuer, String subject);

    /** Creates the account unless (issuer, subject) has one; 1 when created, 0 when it existed. */
    @Query("insert into user_account (id, issuer, subject, display_name, email) "
            + "values (:id, :issuer, :subject, :displayName, :email) on conflict (issuer, subject) do nothing")
    long createIfAbsent(UUID id, String issuer, String subject, @Nullable String displayName, @Nullable String email);
}
