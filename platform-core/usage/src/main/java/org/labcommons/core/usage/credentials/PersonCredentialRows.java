package org.labcommons.core.usage.credentials;

import io.micronaut.core.annotation.Introspected;
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
 * The store of people's cards and login names ({@code person_credential}, key (tenant, kind, value)). Runs inside
 * the caller's tenant-bound transaction, so RLS limits every statement to the bound tenant; a value taken in the
 * tenant is the primary key's unique violation.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PersonCredentialRows extends GenericRepository<PersonCredentialRows.Row, String> {

    /** A row of {@code person_credential}. */
    @MappedEntity("person_credential")
    record Row(String kind, @Id String value, UUID userId, @Nullable String label, String source,
               @Nullable Instant validUntil, Instant createdAt, @Nullable UUID createdBy) {
    }

    /** A credential with its holder's name and e-mail, for lists. */
    @Introspected
    record Line(String kind, String value, UUID userId, @Nullable String displayName, @Nullable String email,
                @Nullable String label, String source, @Nullable Instant validUntil, Instant createdAt) {
    }

    String COLUMNS = "kind, value, user_id, label, source, valid_until, created_at, created_by";

    @Query("select " + COLUMNS + " from person_credential where kind = :kind and value = :value")
    Optional<Row> find(String kind, String value);

    @Query("insert into person_credential (tenant_id, kind, value, user_id, label, source, valid_until, created_at, "
            + "created_by) values (app_tenant(), :kind, :value, :userId, cast(:label as text), :source, "
            + "cast(:validUntil as timestamptz), :now, :by)")
    void insert(String kind, String value, UUID userId, @Nullable String label, String source,
                @Nullable Instant validUntil, Instant now, UUID by);

    /** Refreshes a credential the same person holds (label, source, validity); the count changed. */
    @Query("update person_credential set label = cast(:label as text), source = :source, "
            + "valid_until = cast(:validUntil as timestamptz) where kind = :kind and value = :value and user_id = :userId")
    long refresh(String kind, String value, UUID userId, @Nullable String label, String source,
                 @Nullable Instant validUntil);

    @Query("delete from person_credential where kind = :kind and value = :value")
    long remove(String kind, String value);

    /** The person's credentials of one kind from one source (an import replaces the earlier imported card). */
    @Query("select " + COLUMNS + " from person_credential where user_id = :userId and kind = :kind and source = :source "
            + "order by value")
    List<Row> heldBy(UUID userId, String kind, String source);

    /** A page of credentials (only {@code userId}'s, only of {@code kind}, matching {@code q} when given). */
    @Query("select p.kind, p.value, p.user_id, u.display_name, u.email, p.label, p.source, p.valid_until, p.created_at "
            + "from person_credential p join user_account u on u.id = p.user_id "
            + "where (cast(:userId as uuid) is null or p.user_id = :userId) "
            + "and (cast(:kind as text) is null or p.kind = :kind) "
            + "and (cast(:q as text) is null or p.value ilike '%' || :q || '%' or u.display_name ilike '%' || :q || '%' "
            + "or u.email ilike '%' || :q || '%') order by p.created_at desc, p.kind, p.value limit :limit offset :offset")
    List<Line> page(@Nullable UUID userId, @Nullable String kind, @Nullable String q, int offset, int limit);

    @Query("select count(*) from person_credential p join user_account u on u.id = p.user_id "
            + "where (cast(:userId as uuid) is null or p.user_id = :userId) "
            + "and (cast(:kind as text) is null or p.kind = :kind) "
            + "and (cast(:q as text) is null or p.value ilike '%' || :q || '%' or u.display_name ilike '%' || :q || '%' "
            + "or u.email ilike '%' || :q || '%')")
    long count(@Nullable UUID userId, @Nullable String kind, @Nullable String q);

    /** Every credential of the bound tenant (the grant refresh republishes them). */
    @Query("select " + COLUMNS + " from person_credential order by kind, value")
    List<Row> all();
}
