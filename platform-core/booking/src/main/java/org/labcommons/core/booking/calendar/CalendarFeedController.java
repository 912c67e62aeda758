package org.labcommons.core.booking.calendar;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.mail.Mailer;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The caller's calendar feeds in the acting tenant: list, create ({@code kind} {@code mine} or
 * {@code instrument} with an instrument the caller may read), rotate and revoke. The token is
 * shown once, in the answer that made it, with the feed's URL ({@code /ical/<token>.ics}).
 */
@Controller("/api/v1/calendar-feeds")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class CalendarFeedController {
    private final CalendarFeeds feeds;
    private final BookingAccess access;
    private final CatalogueAccess catalogue;
    private final Mailer mailer;

    public CalendarFeedController(CalendarFeeds feeds, BookingAccess access, CatalogueAccess catalogue, Mailer mailer) {
        this.feeds = feeds;
        this.access = access;
        this.catalogue = catalogue;
        this.mailer = mailer;
    }

    @Serdeable
    public record FeedInput(@Nullable String kind, @Nullable UUID instrumentId) {
    }

    /** A feed with its URL (only when the token is known: after create and rotate). */
    @Serdeable
    public record FeedView(UUID id, String kind, @Nullable UUID instrumentId, java.time.OffsetDateTime createdAt,
                           @Nullable java.time.OffsetDateTime rotatedAt, @Nullable String token, @Nullable String url) {
    }

    @Serdeable
    public record Items(List<FeedView> items) {
    }

    @Operation(summary = "List the caller's calendar feeds")
    @Get
    public Items list(AuthenticatedUser caller) {
        AuthenticatedUser user = member(caller);
        return new Items(feeds.list(user.actingTenant(), user.userId()).stream().map(this::view).toList());
    }

    @Operation(summary = "Create a calendar feed (iCalendar link)")
    @Status(HttpStatus.CREATED)
    @Post
    public HttpResponse<FeedView> create(AuthenticatedUser caller, @Nullable @Body FeedInput input) {
        AuthenticatedUser user = member(caller);
        String kind = input == null ? null : input.kind();
        if ("mine".equals(kind)) {
            if (input.instrumentId() != null) {
                throw invalid("instrumentId", "validation.calendar_feed.no_instrument");
            }
        } else if ("instrument".equals(kind)) {
            if (input.instrumentId() == null) {
                throw invalid("instrumentId", "validation.calendar_feed.instrument_required");
            }
            access.readable(user, input.instrumentId());
        } else {
            throw invalid("kind", "validation.calendar_feed.kind");
        }
        CalendarFeeds.Feed f = feeds.create(user.actingTenant(), user.userId(), CatalogueAccess.actor(user), kind,
                input.instrumentId());
        return HttpResponse.status(HttpStatus.CREATED).body(view(f));
    }

    @Operation(summary = "Replace a calendar feed's secret link")
    @Post("/{id}/rotate")
    public FeedView rotate(AuthenticatedUser caller, @PathVariable UUID id) {
        AuthenticatedUser user = member(caller);
        return view(feeds.rotate(user.actingTenant(), user.userId(), CatalogueAccess.actor(user), id));
    }

    @Operation(summary = "Revoke a calendar feed")
    @Delete("/{id}")
    public HttpResponse<?> revoke(AuthenticatedUser caller, @PathVariable UUID id) {
        AuthenticatedUser user = member(caller);
        feeds.revoke(user.actingTenant(), user.userId(), CatalogueAccess.actor(user), id);
        return HttpResponse.noContent();
    }

    private FeedView view(CalendarFeeds.Feed f) {
        return new FeedView(f.id(), f.kind(), f.instrumentId(), f.createdAt(), f.rotatedAt(), f.token(),
                f.token() == null ? null : mailer.link("/ical/" + f.token() + ".ics"));
    }

    /** The caller, who must be a member of the acting tenant. */
    private AuthenticatedUser member(AuthenticatedUser user) {
        catalogue.requireMember(user);
        return user;
    }

    private static ProblemException invalid(String field, String key) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed",
                List.of(new ProblemException.FieldProblem(field, key.substring(key.lastIndexOf('.') + 1), key, Map.of())));
    }
}
