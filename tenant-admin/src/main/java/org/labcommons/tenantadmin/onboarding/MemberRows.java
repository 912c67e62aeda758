package org.labcommons.tenantadmin.onboarding;

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
import java.util.UUID;

/**
 * The store of what a network sees of its members: their aggregates (through the reviewed
 * {@code network_member_aggregates} function, which answers only for the bound network) and, in
 * a member's own transaction, its identity-provider registrations and browser sessions.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface MemberRows extends GenericRepository<MemberRows.Registration, UUID> {

    /** One member and its aggregates, as the function returns them. */
    @Introspected
    record Aggregates(UUID tenantId, String slug, String nameZh, String nameEn, String status,
                      @Nullable String regionCode, String timeZone, Instant createdAt,
                      @Nullable Instant statusChangedAt, @Nullable String statusReason, long instrumentCount,
                      long totalValueFen, long publishedCount) {
    }

    /** The columns of a {@code trusted_issuer} row that a network sees of its member's registration. */
    @MappedEntity("trusted_issuer")
    record Registration(@Id UUID id, String issuer, @Nullable String clientId, String nameClaim, String emailClaim,
                        boolean enabled, @Nullable Instant lastCheckedAt, @Nullable String lastCheckResult) {
    }

    /** Members of the bound network by slug; {@code only} limits to one when given. */
    @Query("select tenant_id, slug, name_zh, name_en, status, region_code, time_zone, created_at, status_changed_at, "
            + "status_reason, instrument_count, total_value_fen, published_count from network_member_aggregates(:network) "
            + "where (cast(:only as uuid) is null or tenant_id = :only) order by slug limit :limit offset :offset")
    List<Aggregates> members(UUID network, @Nullable UUID only, int limit, int offset);

    @Query("select count(*) from network_member_aggregates(:network)")
    long count(UUID network);

    /** The bound member's identity-provider registrations, oldest first. */
    @Query("select * from trusted_issuer order by created_at, issuer")
    List<Registration> registrations();

    /** Records the outcome of testing a registration. */
    @Query("update trusted_issuer set last_checked_at = now(), last_check_result = :result where id = :id")
    long checked(UUID id, String result);

    /** Ends the browser sessions of the bound member's users (those signed in with an issuer it trusts). */
    @Query("delete from web_session where issuer in (select issuer from trusted_issuer)")
    int endSessions();
}
