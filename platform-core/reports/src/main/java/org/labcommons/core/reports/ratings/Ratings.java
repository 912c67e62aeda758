package org.labcommons.core.reports.ratings;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.audit.AuditLog;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.events.Outbox;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.tenancy.TenantTransactions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Users' ratings of one tenant (V50): a rating per completed booking or ready sample request, by the person who held it
 * ({@link RatingSubjects}); a change within {@link RatingSettings#getChangeWindow()} of the first rating is a new
 * version (all kept in {@code rating_version}), later 409 {@code change_window_passed}; one reply of the instrument's
 * staff per rating, editable. Each change is audited ({@code rating.created}, {@code rating.changed},
 * {@code rating.replied}, {@code rating.reply_edited}) and written to {@code reports.rating.v1} in the same
 * transaction. Aggregates and pages never carry the rater; only {@link #mine}/{@link #own} (the rater's own) do.
 */
@Singleton
public record Ratings(TenantTransactions tenants, AuditLog audit, Outbox outbox, BookingClock clock, RatingRows rows,
                      RatingSettings settings) {

    /** The field checks of a score and a comment (each bad field one problem). */
    List<FieldProblem> check(@Nullable Integer score, @Nullable String comment) {
        List<FieldProblem> out = new ArrayList<>();
        if (score == null) {
            out.add(new FieldProblem("score", "not_null", "validation.not_null", Map.of()));
        } else if (score < 1 || score > 5) {
            out.add(new FieldProblem("score", "range", "rating.validation.score", Map.of("min", 1, "max", 5)));
        }
        if (comment != null && comment.strip().length() > settings.getCommentMax()) {
            out.add(new FieldProblem("comment", "size", "validation.size", Map.of("min", 0, "max", settings.getCommentMax())));
        }
        return out;
    }

    /** Rates {@code subject} once; 409 {@code already_rated} (with the rating's id) when it was rated before. */
    public Rating.Own rate(AuditEntry.Actor actor, RatingSubjects.Subject subject, int score, @Nullable String comment) {
        throwIfAny(check(score, comment));
        String text = blankToNull(comment);
        Instant now = clock.now();
        return tenants.inTenant(subject.tenant(), c -> {
            UUID id = UUID.randomUUID();
            if (rows.insert(id, subject.instrumentId(), subject.kind(), subject.id(), subject.raterUserId(),
                    subject.raterHome().value(), subject.servedAt(), score, text, now) == 0) {
                UUID existing = rows.bySubject(subject.kind(), subject.id()).orElseThrow().id();
                throw new ProblemException(HttpStatus.CONFLICT, "already_rated", existing);
            }
            rows.version(id, 1, score, text, now);
            RatingRows.Stored s = rows.find(id).orElseThrow();
            written(c, actor, s, "rating.created", Map.of("score", score, "version", 1));
            return own(subject.tenant(), s, rows.versions(id));
        });
    }

    /**
     * A new version of the rater's own rating (404 for anyone else's); 409 {@code change_window_passed} once the
     * window after the first rating has passed.
     */
    public Rating.Own change(TenantId tenant, AuditEntry.Actor actor, UUID raterUserId, UUID id, @Nullable Integer score,
                             @Nullable String comment) {
        throwIfAny(check(score, comment));
        String text = blankToNull(comment);
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            RatingRows.Stored s = rows.lock(id).filter(r -> r.raterUserId().equals(raterUserId))
                    .orElseThrow(ProblemException::notFound);
            if (!now.isBefore(changeableUntil(s))) {
                throw new ProblemException(HttpStatus.CONFLICT, "change_window_passed");
            }
            rows.change(id, s.version(), score, text, now);
            rows.version(id, s.version() + 1, score, text, now);
            RatingRows.Stored after = rows.find(id).orElseThrow();
            written(c, actor, after, "rating.changed", Map.of("score", score, "version", after.version(),
                    "previousScore", s.score()));
            return own(tenant, after, rows.versions(id));
        });
    }

    /** Writes or rewrites the staff's reply to a rating (the caller checked the author manages its instrument). */
    public Rating reply(TenantId tenant, AuditEntry.Actor actor, UUID authorId, UUID id, @Nullable String body) {
        String text = body == null ? "" : body.strip();
        if (text.isEmpty()) {
            throwIfAny(List.of(new FieldProblem("body", "not_blank", "validation.not_blank", Map.of())));
        } else if (text.length() > settings.getReplyMax()) {
            throwIfAny(List.of(new FieldProblem("body", "size", "validation.size", Map.of("min", 1, "max", settings.getReplyMax()))));
        }
        Instant now = clock.now();
        return tenants.inTenant(tenant, c -> {
            RatingRows.Stored s = rows.lock(id).orElseThrow(ProblemException::notFound);
            boolean first = rows.insertReply(id, text, authorId, now) == 1;
            if (!first) {
                rows.updateReply(id, text, authorId, now);
            }
            RatingRows.Stored after = rows.find(id).orElseThrow();
            written(c, actor, after, first ? "rating.replied" : "rating.reply_edited",
                    Map.of("replyVersion", after.replyVersion(), "previousLength", s.reply() == null ? 0 : s.reply().length()));
            return view(after);
        });
    }

    /** One rating of the tenant without its rater (empty when none). */
    public Optional<Rating> find(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> rows.find(id).map(Ratings::view));
    }

    /** The instrument of a rating (to check its staff), empty when none. */
    public Optional<UUID> instrumentOf(TenantId tenant, UUID id) {
        return tenants.inTenant(tenant, c -> rows.find(id).map(RatingRows.Stored::instrumentId));
    }

    /** The rater's own rating with its versions; empty when it is not theirs. */
    public Optional<Rating.Own> own(TenantId tenant, UUID raterUserId, UUID id) {
        return tenants.inTenant(tenant, c -> rows.find(id).filter(s -> s.raterUserId().equals(raterUserId))
                .map(s -> own(tenant, s, rows.versions(id))));
    }

    /** The rater's ratings in the tenant, newest first (without versions). */
    public Rating.OwnPage mine(TenantId tenant, UUID raterUserId, int page, int size) {
        return tenants.inTenant(tenant, c -> new Rating.OwnPage(rows.byRater(raterUserId, page * size, size).stream()
                .map(s -> own(tenant, s, null)).toList(), rows.countByRater(raterUserId), page, size));
    }

    /** The rater's ratings of these subjects, by subject id. */
    public Map<UUID, Rating.Own> ofSubjects(TenantId tenant, UUID raterUserId, List<UUID> subjectIds) {
        if (subjectIds.isEmpty()) {
            return Map.of();
        }
        return tenants.inTenant(tenant, c -> {
            Map<UUID, Rating.Own> out = new HashMap<>();
            rows.bySubjects(subjectIds).stream().filter(s -> s.raterUserId().equals(raterUserId))
                    .forEach(s -> out.put(s.subjectId(), own(tenant, s, null)));
            return out;
        });
    }

    /** An instrument's aggregate and a page of its ratings ({@code commentsOnly}: those with a comment), no raters. */
    public Rating.Summary summary(TenantId tenant, UUID instrumentId, boolean commentsOnly, int page, int size) {
        return tenants.inTenant(tenant, c -> new Rating.Summary(aggregate(instrumentId),
                new Rating.Page(rows.byInstrument(instrumentId, commentsOnly, page * size, size).stream()
                        .map(Ratings::view).toList(), rows.countByInstrument(instrumentId, commentsOnly), page, size)));
    }

    /**
     * The evaluation's figure: the ratings of services the instrument delivered in {@code year} (the booking's end or
     * the results' readiness, in the tenant's zone), their current scores' count and mean (two decimals, half-up).
     */
    public Rating.Year instrumentYear(TenantId tenant, UUID instrument, int year) {
        return tenants.inTenant(tenant, c -> {
            ZoneId zone = ZoneId.of(rows.tenantZone().orElse("Asia/Shanghai"));
            RatingRows.Totals t = rows.totals(instrument, java.time.LocalDate.of(year, 1, 1).atStartOfDay(zone).toInstant(),
                    java.time.LocalDate.of(year + 1, 1, 1).atStartOfDay(zone).toInstant());
            return new Rating.Year(instrument, year, t.count(), mean(t.sum(), t.count(), 2));
        });
    }

    private Rating.Aggregate aggregate(UUID instrumentId) {
        Long[] counts = {0L, 0L, 0L, 0L, 0L};
        long n = 0;
        long sum = 0;
        for (RatingRows.ScoreCount sc : rows.distribution(instrumentId)) {
            counts[sc.score() - 1] = sc.count();
            n += sc.count();
            sum += sc.count() * sc.score();
        }
        return new Rating.Aggregate(instrumentId, n, mean(sum, n, 1), List.of(counts));
    }

    /** sum / count rounded half-up to {@code scale} decimals; null for no ratings. */
    static @Nullable Double mean(long sum, long count, int scale) {
        return count == 0 ? null : BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(count), scale, RoundingMode.HALF_UP)
                .doubleValue();
    }

    Instant changeableUntil(RatingRows.Stored s) {
        return s.createdAt().plus(settings.getChangeWindow());
    }

    private void written(Connection c, AuditEntry.Actor actor, RatingRows.Stored s, String action,
                         Map<String, Object> details) throws SQLException {
        audit.append(c, actor.entry(action, "rating", s.id().toString(), details));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", s.id().toString());
        payload.put("instrumentId", s.instrumentId().toString());
        payload.put("subjectKind", s.subjectKind());
        payload.put("raterHomeTenantId", s.raterHomeTenantId().toString());
        payload.put("servedAt", s.servedAt().toString());
        payload.put("score", s.score());
        payload.put("hasComment", s.comment() != null);
        payload.put("version", s.version());
        payload.put("replied", s.reply() != null);
        payload.put("createdAt", s.createdAt().toString());
        payload.put("updatedAt", s.updatedAt().toString());
        long aggregateVersion = s.version() + (s.replyVersion() == null ? 0 : s.replyVersion());
        outbox.append(c, new Outbox.Event(RatingTopics.RATING, action, 1, "rating", s.id().toString(),
                aggregateVersion, payload));
    }

    static Rating view(RatingRows.Stored s) {
        return new Rating(s.id(), s.instrumentId(), s.score(), s.comment(), s.version(), s.createdAt(), s.updatedAt(),
                reply(s));
    }

    private Rating.Own own(TenantId tenant, RatingRows.Stored s, @Nullable List<RatingRows.VersionRow> versions) {
        Instant until = changeableUntil(s);
        return new Rating.Own(s.id(), tenant.value(), s.instrumentId(), s.subjectKind(), s.subjectId(), s.servedAt(),
                s.score(), s.comment(), s.version(), s.createdAt(), s.updatedAt(), until, clock.now().isBefore(until),
                reply(s), versions == null ? null : versions.stream()
                .map(v -> new Rating.Version(v.version(), v.score(), v.comment(), v.at())).toList());
    }

    private static Rating.@Nullable Reply reply(RatingRows.Stored s) {
        return s.reply() == null ? null : new Rating.Reply(s.reply(), s.repliedAt(), s.replyUpdatedAt(),
                s.replyVersion() != null && s.replyVersion() > 1);
    }

    static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static void throwIfAny(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
        }
    }
}
