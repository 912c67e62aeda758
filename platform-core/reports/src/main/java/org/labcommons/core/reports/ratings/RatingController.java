package org.labcommons.core.reports.ratings;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Users' ratings: {@code /api/v1/reports/ratings}. The rater rates what they held ({@link RatingSubjects}) and reads
 * and changes their own ({@code /mine}); members of the instrument's institution read an instrument's aggregate and
 * its ratings without raters; staff who manage the instrument reply. Bad input is 400 problem+json
 * {@code validation_failed} with a field error per bad field.
 */
@Controller("/api/v1/reports/ratings")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Ratings", description = "Users' ratings (1-5 and a comment) of completed bookings and sample requests, "
        + "the instrument's aggregate (never who rated) and the staff's replies.")
public class RatingController {
    static final int MAX_SIZE = 100;
    private final Ratings ratings;
    private final RatingSubjects subjects;
    private final CatalogueAccess catalogue;

    public RatingController(Ratings ratings, RatingSubjects subjects, CatalogueAccess catalogue) {
        this.ratings = ratings;
        this.subjects = subjects;
        this.catalogue = catalogue;
    }

    /** A reply's body (1 to {@code labcommons.reports.ratings.reply-max} characters). */
    @Serdeable
    public record ReplyInput(@Nullable String body) {
    }

    @Operation(summary = "Rate a completed booking or sample request one held (once; 409 already_rated after)")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<Rating.Own> rate(AuthenticatedUser user, @Body RatingInput input) {
        List<FieldProblem> problems = new ArrayList<>();
        if (input.subjectKind() == null || !RatingSubjects.KINDS.contains(input.subjectKind())) {
            problems.add(new FieldProblem("subjectKind", "one_of", "rating.validation.subject_kind",
                    Map.of("values", String.join(", ", RatingSubjects.KINDS))));
        }
        if (input.subjectId() == null) {
            problems.add(new FieldProblem("subjectId", "not_null", "validation.not_null", Map.of()));
        }
        problems.addAll(ratings.check(input.score(), input.comment()));
        Ratings.throwIfAny(problems);
        RatingSubjects.Subject subject = subjects.held(user, input.owner(), input.subjectKind(), input.subjectId());
        return HttpResponse.created(ratings.rate(CatalogueAccess.actor(user), subject, input.score(), input.comment()));
    }

    @Operation(summary = "Change one's own rating within the window (a new version; the old ones are kept)")
    @Put("/{id}")
    public Rating.Own change(AuthenticatedUser user, @PathVariable UUID id, @Nullable @QueryValue String owner,
                             @Body RatingInput input) {
        return ratings.change(subjects.tenantOf(user, owner), CatalogueAccess.actor(user), user.userId(), id,
                input.score(), input.comment());
    }

    @Operation(summary = "One's own ratings at the acting institution (or at owner), newest first")
    @Get("/mine")
    public Rating.OwnPage mine(AuthenticatedUser user, @Nullable @QueryValue String owner,
                               @Nullable @QueryValue Integer page, @Nullable @QueryValue Integer size) {
        int[] ps = paging(page, size);
        return ratings.mine(subjects.tenantOf(user, owner), user.userId(), ps[0], ps[1]);
    }

    @Operation(summary = "One's own rating with every version")
    @Get("/mine/{id}")
    public Rating.Own own(AuthenticatedUser user, @PathVariable UUID id, @Nullable @QueryValue String owner) {
        TenantId tenant = subjects.tenantOf(user, owner);
        return ratings.own(tenant, user.userId(), id).orElseThrow(ProblemException::notFound);
    }

    @Operation(summary = "An instrument's aggregate (count, mean, distribution) and its ratings, newest first, without raters")
    @Get
    public Rating.Summary list(AuthenticatedUser user, @Nullable @QueryValue UUID instrumentId,
                               @Nullable @QueryValue Boolean commentsOnly, @Nullable @QueryValue Integer page,
                               @Nullable @QueryValue Integer size) {
        if (instrumentId == null) {
            Ratings.throwIfAny(List.of(new FieldProblem("instrumentId", "not_null", "validation.not_null", Map.of())));
        }
        int[] ps = paging(page, size);
        catalogue.readable(user, instrumentId);
        return ratings.summary(user.actingTenant(), instrumentId, Boolean.TRUE.equals(commentsOnly), ps[0], ps[1]);
    }

    @Operation(summary = "One rating without its rater")
    @Get("/{id}")
    public Rating one(AuthenticatedUser user, @PathVariable UUID id) {
        catalogue.requireMember(user);
        Rating r = ratings.find(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        catalogue.readable(user, r.instrumentId());
        return r;
    }

    @Operation(summary = "Write or edit the staff's reply to a rating (staff who manage its instrument)")
    @Put("/{id}/reply")
    public Rating reply(AuthenticatedUser user, @PathVariable UUID id, @Body ReplyInput input) {
        catalogue.requireMember(user);
        UUID instrument = ratings.instrumentOf(user.actingTenant(), id).orElseThrow(ProblemException::notFound);
        catalogue.managed(user, instrument);
        return ratings.reply(user.actingTenant(), CatalogueAccess.actor(user), user.userId(), id, input.body());
    }

    static int[] paging(@Nullable Integer page, @Nullable Integer size) {
        List<FieldProblem> problems = new ArrayList<>();
        if (page != null && page < 0) {
            problems.add(new FieldProblem("page", "min", "validation.min", Map.of("value", 0)));
        }
        if (size != null && (size < 1 || size > MAX_SIZE)) {
            problems.add(new FieldProblem("size", "range", "validation.size", Map.of("min", 1, "max", MAX_SIZE)));
        }
        Ratings.throwIfAny(problems);
        return new int[] {page == null ? 0 : page, size == null ? 20 : size};
    }
}
