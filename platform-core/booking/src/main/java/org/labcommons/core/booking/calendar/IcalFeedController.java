package org.labcommons.core.booking.calendar;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;

/**
 * {@code GET /ical/<token>.ics}: a calendar feed for calendar clients, which send no bearer token
 * (the path is outside {@code /api}, so the bearer filter does not see it; the unguessable token
 * is the credential). Unknown, revoked and malformed tokens, and the feeds of an owner who no longer
 * belongs to the tenant, all answer a bare 404.
 */
@Controller("/ical")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class IcalFeedController {
    public static final MediaType TEXT_CALENDAR = MediaType.of("text/calendar;charset=utf-8");
    private final CalendarFeeds feeds;

    public IcalFeedController(CalendarFeeds feeds) {
        this.feeds = feeds;
    }

    @Get(value = "/{file}", produces = "text/calendar;charset=utf-8")
    public HttpResponse<String> feed(@PathVariable String file) {
        if (!file.endsWith(".ics")) {
            return HttpResponse.status(HttpStatus.NOT_FOUND);
        }
        return feeds.render(file.substring(0, file.length() - 4))
                .<HttpResponse<String>>map(body -> HttpResponse.ok(body).contentType(TEXT_CALENDAR)
                        .header("Cache-Control", "private, max-age=300"))
                .orElseGet(() -> HttpResponse.status(HttpStatus.NOT_FOUND));
    }
}
