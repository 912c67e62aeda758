package org.labcommons.core.reports.ratings;

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
 * The store of ratings ({@code rating}, {@code rating_version}, {@code rating_reply}, V50). Runs inside the caller's
 * tenant-bound transaction (RLS limits every statement to the bound tenant, the instrument's).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface RatingRows extends GenericRepository<RatingRows.Key, UUID> {
    /** The columns of {@link Stored} (the reply joined in). */
    String COLUMNS = "r.id, r.instrument_id, r.subject_kind, r.subject_id, r.rater_user_id, r.rater_home_tenant_id, "
            + "r.served_at, r.score, r.comment, r.version, r.created_at, r.updated_at, p.body as reply, "
            + "p.created_at as replied_at, p.updated_at as reply_updated_at, p.version as reply_version";
    String FROM = " from rating r left join rating_reply p on p.tenant_id = r.tenant_id and p.rating_id = r.id ";

    /** The key of a row. */
    @MappedEntity("rating")
    record Key(@Id UUID id) {
    }

    /** A stored rating with its reply (null when none). */
    @Introspected
    record Stored(UUID id, UUID instrumentId, String subjectKind, UUID subjectId, UUID raterUserId,
                  UUID raterHomeTenantId, Instant servedAt, int score, @Nullable String comment, int version,
                  Instant createdAt, Instant updatedAt, @Nullable String reply, @Nullable Instant repliedAt,
                  @Nullable Instant replyUpdatedAt, @Nullable Integer replyVersion) {
    }

    /** One version of a rating. */
    @Introspected
    record VersionRow(int version, int score, @Nullable String comment, Instant at) {
    }

    /** How many ratings of an instrument gave a score. */
    @Introspected
    record ScoreCount(int score, long count) {
    }

    /** Count and sum of the scores of a period. */
    @Introspected
    record Totals(long count, long sum) {
    }

    @Query("select time_zone from tenant where id = app_tenant()")
    Optional<String> tenantZone();

    @Query("insert into rating (tenant_id, id, instrument_id, subject_kind, subject_id, rater_user_id, rater_home_tenant_id, "
            + "served_at, score, comment, version, created_at, updated_at) values (app_tenant(), :id, :instrumentId, "
            + ":subjectKind, :subjectId, :raterUserId, :raterHomeTenantId, :servedAt, :score, :comment, 1, :now, :now) "
            + "on conflict (tenant_id, subject_kind, subject_id) do nothing")
    long insert(UUID id, UUID instrumentId, String subjectKind, UUID subjectId, UUID raterUserId, UUID raterHomeTenantId,
                Instant servedAt, int score, @Nullable String comment, Instant now);

    /** A new current version; the rows changed (0 when {@code version} was not the current one). */
    @Query("update rating set score = :score, comment = :comment, version = version + 1, updated_at = :now "
            + "where id = :id and version = :version")
    long change(UUID id, int version, int score, @Nullable String comment, Instant now);

    @Query("insert into rating_version (tenant_id, rating_id, version, score, comment, at) "
            + "values (app_tenant(), :id, :version, :score, :comment, :at)")
    void version(UUID id, int version, int score, @Nullable String comment, Instant at);

    @Query("select version, score, comment, at from rating_version where rating_id = :id order by version")
    List<VersionRow> versions(UUID id);

    @Query("select " + COLUMNS + FROM + "where r.id = :id")
    Optional<Stored> find(UUID id);

    @Query("select " + COLUMNS + FROM + "where r.id = :id for update of r")
    Optional<Stored> lock(UUID id);

    @Query("select " + COLUMNS + FROM + "where r.subject_kind = :kind and r.subject_id = :subjectId")
    Optional<Stored> bySubject(String kind, UUID subjectId);

    @Query("select " + COLUMNS + FROM + "where r.subject_id in (:subjectIds)")
    List<Stored> bySubjects(List<UUID> subjectIds);

    /** The rater's ratings in the tenant, newest first. */
    @Query("select " + COLUMNS + FROM + "where r.rater_user_id = :rater order by r.created_at desc, r.id limit :limit offset :offset")
    List<Stored> byRater(UUID rater, int offset, int limit);

    @Query("select count(*) from rating where rater_user_id = :rater")
    long countByRater(UUID rater);

    /** An instrument's ratings, newest first ({@code withComment}: only those with a comment). */
    @Query("select " + COLUMNS + FROM + "where r.instrument_id = :instrumentId and (not :withComment or r.comment is not null) "
            + "order by r.updated_at desc, r.id limit :limit offset :offset")
    List<Stored> byInstrument(UUID instrumentId, boolean withComment, int offset, int limit);

    @Query("select count(*) from rating where instrument_id = :instrumentId and (not :withComment or comment is not null)")
    long countByInstrument(UUID instrumentId, boolean withComment);

    @Query("select score, count(*) as count from rating where instrument_id = :instrumentId group by score order by score")
    List<ScoreCount> distribution(UUID instrumentId);

    /** Count and sum of the current scores of the services delivered in [from, to). */
    @Query("select count(*) as count, coalesce(sum(score), 0) as sum from rating where instrument_id = :instrumentId "
            + "and served_at >= :from and served_at < :to")
    Totals totals(UUID instrumentId, Instant from, Instant to);

    @Query("insert into rating_reply (tenant_id, rating_id, body, author_user_id, version, created_at, updated_at) "
            + "values (app_tenant(), :ratingId, :body, :author, 1, :now, :now) on conflict (tenant_id, rating_id) do nothing")
    long insertReply(UUID ratingId, String body, UUID author, Instant now);

    @Query("update rating_reply set body = :body, author_user_id = :author, version = version + 1, updated_at = :now "
            + "where rating_id = :ratingId")
    long updateReply(UUID ratingId, String body, UUID author, Instant now);
}
