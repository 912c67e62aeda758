package org.labcommons.core.web.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;

/** The store of pending logins ({@code web_login_attempt}: global), found by the SHA-256 of their state. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LoginAttemptRows extends GenericRepository<LoginAttemptRows.Row, String> {

    /** A row of {@code web_login_attempt}; {@code createdAt} is the database's {@code now()}. */
    @MappedEntity("web_login_attempt")
    record Row(@Id String stateHash, String codeVerifier, String nonce, String issuer, String returnTo,
               @Nullable @GeneratedValue Instant createdAt) {
    }

    Row save(Row row);

    /** The attempt with this state hash, unless it is older than {@code seconds}. */
    @Query("select * from web_login_attempt where state_hash = :stateHash "
            + "and created_at >= now() - make_interval(secs => :seconds)")
    Optional<Row> younger(String stateHash, long seconds);

    long deleteById(String stateHash);

    /** Removes attempts older than {@code seconds}; how many. */
    @Query("delete from web_login_attempt where created_at < now() - make_interval(secs => :seconds)")
    long deleteOlderThan(long seconds);
}
