package org.labcommons.core.reports.ratings;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A rating as the instrument's page and its staff see it: the score, the comment, the reply, never who rated (nor the
 * booking or sample request, which would name them). The rater's own view is {@link Own}.
 */
@Serdeable
public record Rating(UUID id, UUID instrumentId, int score, @Nullable String comment, int version, Instant createdAt,
                     Instant updatedAt, @Nullable Reply reply) {

    /** The staff's reply; {@code edited} once changed after it was first written. */
    @Serdeable
    public record Reply(String body, Instant createdAt, Instant updatedAt, boolean edited) {
    }

    /** A page of ratings and the total. */
    @Serdeable
    public record Page(List<Rating> items, long total, int page, int size) {
    }

    /**
     * The rater's own rating: what it rated ({@code subjectKind} {@code booking} or {@code sample_request}, its id, the
     * tenant it lives in), until when it may be changed, and every version (oldest first) when one is read.
     */
    @Serdeable
    public record Own(UUID id, UUID tenantId, UUID instrumentId, String subjectKind, UUID subjectId, Instant servedAt,
                      int score, @Nullable String comment, int version, Instant createdAt, Instant updatedAt,
                      Instant changeableUntil, boolean changeable, @Nullable Reply reply,
                      @Nullable List<Version> versions) {
    }

    /** One version of the rater's rating. */
    @Serdeable
    public record Version(int version, int score, @Nullable String comment, Instant at) {
    }

    /** A page of the rater's own ratings. */
    @Serdeable
    public record OwnPage(List<Own> items, long total, int page, int size) {
    }

    /**
     * An instrument's aggregate: how many rated, the mean of their current scores to one decimal (half-up; null with
     * none) and how many gave each score ({@code distribution[0]} = score 1 ... {@code [4]} = score 5).
     */
    @Serdeable
    public record Aggregate(UUID instrumentId, long count, @Nullable Double mean, List<Long> distribution) {
    }

    /** An instrument's aggregate with a page of its comments and replies (the instrument page, its staff). */
    @Serdeable
    public record Summary(Aggregate aggregate, Page comments) {
    }

    /** The figure of one instrument and year for the evaluation: how many rated, the mean (2 decimals, half-up). */
    @Serdeable
    public record Year(UUID instrumentId, int year, long count, @Nullable Double mean) {
    }
}
