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

/**
 * The store of browser sessions ({@code web_session}: global, no tenant column; a session names
 * its person by issuer and subject). Only the SHA-256 of a session id is stored.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface WebSessionRows extends GenericRepository<WebSessionRows.Row, String> {

    /** A row of {@code web_session}; {@code createdAt} is the database's {@code now()}. */
    @MappedEntity("web_session")
    record Row(@Id String idHash, String issuer, String subject, @Nullable String displayName, String csrfToken,
               @Nullable @GeneratedValue Instant createdAt, Instant expiresAt) {
        WebSession toSession() {
            return new WebSession(idHash, issuer, subject, displayName, csrfToken, expiresAt);
        }
    }

    Row save(Row row);

    /** The session with this id hash, unless it has expired. */
    @Query("select * from web_session where id_hash = :idHash and expires_at > now()")
    Optional<Row> live(String idHash);

    long deleteById(String idHash);
}
