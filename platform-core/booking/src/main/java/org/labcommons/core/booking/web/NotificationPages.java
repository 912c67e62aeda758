package org.labcommons.core.booking.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Singleton;
import org.labcommons.core.booking.notify.Notifications;
import org.labcommons.core.catalog.InstrumentForm;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;
import org.labcommons.core.web.Pages;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The signed-in person's in-app notifications at {@code /notifications} (newest 200, worded in
 * the page's language; in their own institution), each linking where it leads
 * ({@link Notifications.Notice#link}: the booking in "my bookings", or the staff's approval queue),
 * marking one or all read, and the language of
 * their notification mail and calendar feeds. {@link Nav} puts "My bookings" and "Notifications"
 * (with the unread count) into the navigation of signed-in people.
 */
@Controller
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class NotificationPages {
    private final Pages pages;
    private final Notifications notifications;
    private final BookingPagesSupport support;

    public NotificationPages(Pages pages, Notifications notifications, BookingPagesSupport support) {
        this.pages = pages;
        this.notifications = notifications;
        this.support = support;
    }

    /** A notice with its time shown in the tenant's zone and where it leads. */
    public record Row(Notifications.Notice n, String at, @Nullable String href) {
    }

    @Get(value = "/notifications", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> list(HttpRequest<?> request, AuthenticatedUser user, @Nullable @QueryValue String done) {
        Map<String, Object> model = pages.model(request);
        Locale locale = (Locale) model.get("locale");
        List<Row> rows = notifications.list(user.actingTenant(), user.userId(), false, locale).stream()
                .map(n -> new Row(n, n.createdAt().format(BookingPagesSupport.LOCAL_SHOWN),
                        n.link()))
                .toList();
        model.put("rows", rows);
        model.put("unread", rows.stream().filter(r -> !r.n().read()).count());
        model.put("mailLanguage", support.mailLanguage(user));
        if ("language".equals(done) || "read".equals(done)) {
            model.put("done", BookingCalendarPages.messages(model).get("notification.page.done." + done));
        }
        return pages.respond(request, HttpStatus.OK, "booking/notifications", model);
    }

    @Post(value = "/notifications/{id}/read", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> read(AuthenticatedUser user, @PathVariable String id) {
        notifications.markRead(user.actingTenant(), user.userId(), BookingCalendarPages.uuid(id));
        return HttpResponse.seeOther(URI.create("/notifications"));
    }

    @Post(value = "/notifications/read-all", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> readAll(AuthenticatedUser user) {
        for (Notifications.Notice n : notifications.list(user.actingTenant(), user.userId(), true, Locale.ROOT)) {
            notifications.markRead(user.actingTenant(), user.userId(), n.id());
        }
        return HttpResponse.seeOther(URI.create("/notifications?done=read"));
    }

    @Post(value = "/notifications/language", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> language(AuthenticatedUser user, @Body String body) {
        String language = BookingCalendarPages.one(InstrumentForm.decode(body), "language");
        if (!"zh-CN".equals(language) && !"en".equals(language)) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(
                    new ProblemException.FieldProblem("language", "language", "validation.notification.language", Map.of())));
        }
        notifications.setLanguage(user.userId(), language, user.actingTenant());
        return HttpResponse.seeOther(URI.create("/notifications?done=language"));
    }

    /** "My bookings" and "Notifications (n unread)" in the navigation, for signed-in people. */
    @Singleton
    public static class Nav implements NavContributor {
        static final NavLink MINE = NavLink.everyone("nav.my_bookings", "/my/bookings", 20);
        static final NavLink NOTIFICATIONS = NavLink.everyone("nav.notifications", "/notifications", 21);
        private final BookingPagesSupport support;

        public Nav(BookingPagesSupport support) {
            this.support = support;
        }

        @Override
        public List<NavLink> navLinks() {
            return List.of();
        }

        @Override
        public List<NavLink> navLinks(@Nullable AuthenticatedUser caller) {
            return caller == null ? List.of() : List.of(MINE, NOTIFICATIONS);
        }

        @Override
        public @Nullable String badge(HttpRequest<?> request, @Nullable AuthenticatedUser caller, NavLink link) {
            if (caller == null || !NOTIFICATIONS.equals(link)) {
                return null;
            }
            long unread = support.unread(caller);
            return unread == 0 ? null : Long.toString(unread);
        }
    }
}
