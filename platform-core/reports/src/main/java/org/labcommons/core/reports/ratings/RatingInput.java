package org.labcommons.core.reports.ratings;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * A rating as the rater sends it. On create {@code subjectKind} ({@code booking}, {@code sample_request}) and
 * {@code subjectId} name what is rated and {@code owner} (an institution's id or slug; empty: the acting one) where
 * it was booked; a change sends only {@code score} and {@code comment}. {@code score} 1-5; {@code comment} optional,
 * at most {@code labcommons.reports.ratings.comment-max} characters (blank: none).
 */
@Serdeable
public record RatingInput(@Nullable String subjectKind, @Nullable UUID subjectId, @Nullable String owner,
                          @Nullable Integer score, @Nullable String comment) {
}
