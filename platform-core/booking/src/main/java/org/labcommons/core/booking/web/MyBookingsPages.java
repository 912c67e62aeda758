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
import org.labcommons.core.booking.Booking;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.BookingService;
import org.labcommons.core.booking.BookingsElsewhere;
import org.labcommons.core.booking.OutsideBookings;
import org.labcommons.core.booking.SlotConflictException;
import org.labcommons.core.booking.Waitlist;
import org.labcommons.core.booking.calendar.CalendarFeeds;
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.InstrumentForm;
import org.labcommons.core.mail.Mailer;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.PageUrl;
import org.labcommons.core.web.Pages;

import org.labcommons.core.tenancy.TenantId;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * "My bookings" at {@code /my/bookings}: the signed-in person's bookings in one institution (their
 * own, or another with {@code ?tenant=slug} where they hold a role), upcoming and of the last 90
 * days, with cancel, move and check-in where the booking's state allows (the rules are the
 * service's: a refusal is shown on the page); their waitlist entries with open offers (accept,
 * decline, withdraw); and their "my bookings" calendar feed (create, rotate, revoke; the link is
 * shown once, on the page answering the change). Every action is a form POST followed by a
 * redirect back, through the same services and access rules as the API.
 */
@Controller
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class MyBookingsPages {
    static final Duration PAST = Duration.ofDays(90);
    static final Duration AHEAD = Duration.ofDays(366);
    static final Set<String> DONE = Set.of("requested", "approved", "series", "waiting", "cancelled", "moved",
            "checked_in", "accepted", "declined", "withdrawn", "feed_revoked");

    private final Pages pages;
    private final BookingPagesSupport support;
    private final BookingAccess access;
    private final BookingService bookings;
    private final Waitlist waitlist;
    private final CalendarFeeds feeds;
    private final Mailer mailer;
    private final BookingClock clock;
    private final OutsideBookings outside;
    private final List<BookingsElsewhere> elsewhere;

    public MyBookingsPages(Pages pages, BookingPagesSupport support, BookingAccess access, BookingService bookings,
                           Waitlist waitlist, CalendarFeeds feeds, Mailer mailer, BookingClock clock,
                           OutsideBookings outside, List<BookingsElsewhere> elsewhere) {
        this.outside = outside;
        this.elsewhere = elsewhere;
        this.pages = pages;
        this.support = support;
        this.access = access;
        this.bookings = bookings;
        this.waitlist = waitlist;
        this.feeds = feeds;
        this.mailer = mailer;
        this.clock = clock;
    }

    /** A booking as the list shows it, with what the person may do now. */
    public record Row(Booking b, String instrument, String calendarHref, String start, String end, String startInput,
                      String endInput, boolean cancel, boolean move, boolean checkIn) {
    }

    /**
     * A booking held at another institution, as the home keeps it ({@link BookingsElsewhere}): its
     * link opens the owner's guest view of one's bookings there ({@code /my/bookings?tenant=slug}).
     */
    public record ElsewhereRow(BookingsElsewhere.Item i, String instrument, String owner, String start, String end,
                               @Nullable String cost, @Nullable String href, @Nullable String calendarHref, boolean upcoming) {
    }

    /** Rows of the "bookings at other institutions" section per page. */
    static final int ELSEWHERE_PAGE = 10;

    /** A waitlist entry as the list shows it. */
    public record WaitRow(Waitlist.Entry e, String instrument, String start, String end, @Nullable String offerExpires,
                          boolean offerOpen) {
    }

    @Get(value = "/my/bookings", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> list(HttpRequest<?> request, @Nullable @QueryValue String tenant, @Nullable @QueryValue String done,
                                @Nullable @QueryValue String created, @Nullable @QueryValue String skipped) {
        BookingPagesSupport.Place place = support.place(request, tenant);
        Map<String, Object> model = model(request, place);
        if (done != null && DONE.contains(done)) {
            String text = BookingCalendarPages.messages(model).get("booking.page.done." + done);
            model.put("done", text.replace("{created}", number(created)).replace("{skipped}", number(skipped)));
            model.put("doneCode", done);
        }
        return pages.respond(request, HttpStatus.OK, "booking/mine", model);
    }

    // ---------------------------------------------------------------- bookings

    @Post(value = "/my/bookings/{id}/cancel", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> cancel(HttpRequest<?> request, @PathVariable String id, @Body String body) {
        return act(request, body, "cancelled", (tenant, who, seen, data, zone) -> bookings.cancel(tenant, who, seen.booking().id(),
                BookingCalendarPages.blankToNull(BookingCalendarPages.one(data, "note"))), id);
    }

    @Post(value = "/my/bookings/{id}/check-in", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> checkIn(HttpRequest<?> request, @PathVariable String id, @Body String body) {
        return act(request, body, "checked_in", (tenant, who, seen, data, zone) -> bookings.checkIn(tenant, who,
                seen.booking().id()), id);
    }

    @Post(value = "/my/bookings/{id}/reschedule", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> reschedule(HttpRequest<?> request, @PathVariable String id, @Body String body) {
        return act(request, body, "moved", (tenant, who, seen, data, zone) -> {
            Instant s = BookingPagesSupport.parseLocal(BookingCalendarPages.one(data, "start"), zone);
            Instant e = BookingPagesSupport.parseLocal(BookingCalendarPages.one(data, "end"), zone);
            if (s == null || e == null) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", List.of(new FieldProblem(
                        s == null ? "start" : "end", "datetime", "validation.booking_page.datetime", Map.of())));
            }
            return bookings.reschedule(tenant, who, seen.booking().id(), s, e);
        }, id);
    }

    private interface Action {
        Object run(TenantId tenant, BookingService.Requester who, BookingAccess.Seen seen, Map<String, List<String>> data,
                   ZoneId zone);
    }

    /** One action on one of the caller's bookings; a refusal or conflict is shown on the list (the booking is 404 when not theirs). */
    private HttpResponse<?> act(HttpRequest<?> request, String body, String done, Action action, String id) {
        Map<String, List<String>> data = InstrumentForm.decode(body);
        BookingPagesSupport.Place place = support.place(request, BookingCalendarPages.one(data, "tenant"));
        AuthenticatedUser user = place.acting();
        BookingAccess.Seen seen;
        BookingService.Requester who;
        if (user != null) {
            seen = access.booking(user, BookingCalendarPages.uuid(id));
            who = BookingAccess.requester(user, seen.staff());
        } else {
            // a booking made from home at an institution where the person holds no role (OutsideBookings)
            seen = new BookingAccess.Seen(outside.booking(guest(place), place.owner().slug(), BookingCalendarPages.uuid(id)),
                    null, false);
            who = BookingAccess.requester(place.home(), false);
        }
        try {
            action.run(place.owner().id(), who, seen, data, place.zone());
        } catch (SlotConflictException conflict) {
            Map<String, Object> model = model(request, place);
            Map<String, String> t = BookingCalendarPages.messages(model);
            SlotConflictException.Conflict c = conflict.conflict();
            model.put("failed", seen.booking().id());
            model.put("conflictText", t.get("booking.page.conflict.detail")
                    .replace("{kind}", t.getOrDefault("booking.page.kind." + c.kind(), c.kind()))
                    .replace("{start}", BookingPagesSupport.shown(c.start(), place.zone()))
                    .replace("{end}", BookingPagesSupport.shown(c.end(), place.zone())));
            return pages.respond(request, HttpStatus.CONFLICT, "booking/mine", model);
        } catch (ProblemException refused) {
            if (refused.status() == HttpStatus.NOT_FOUND) {
                throw refused;
            }
            Map<String, Object> model = model(request, place);
            model.put("failed", seen.booking().id());
            pages.withProblem(request, model, refused);
            return pages.respond(request, refused.status(), "booking/mine", model);
        }
        return HttpResponse.seeOther(URI.create(place.link("/my/bookings", "done=" + done)));
    }

    // ---------------------------------------------------------------- waitlist

    @Post(value = "/my/waitlist/{entryId}/withdraw", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> withdraw(HttpRequest<?> request, @PathVariable String entryId, @Body String body) {
        return waitAction(request, body, "withdrawn", (tenant, who) -> waitlist.withdraw(tenant,
                who, BookingCalendarPages.uuid(entryId)));
    }

    @Post(value = "/my/waitlist/offers/{offerId}/accept", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> accept(HttpRequest<?> request, @PathVariable String offerId, @Body String body) {
        return waitAction(request, body, "accepted", (tenant, who) -> waitlist.accept(tenant,
                who, BookingCalendarPages.uuid(offerId)));
    }

    @Post(value = "/my/waitlist/offers/{offerId}/decline", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> decline(HttpRequest<?> request, @PathVariable String offerId, @Body String body) {
        return waitAction(request, body, "declined", (tenant, who) -> waitlist.decline(tenant,
                who, BookingCalendarPages.uuid(offerId)));
    }

    private interface WaitAction {
        void run(TenantId tenant, BookingService.Requester who);
    }

    private HttpResponse<?> waitAction(HttpRequest<?> request, String body, String done, WaitAction action) {
        Map<String, List<String>> data = InstrumentForm.decode(body);
        BookingPagesSupport.Place place = support.place(request, BookingCalendarPages.one(data, "tenant"));
        AuthenticatedUser user = place.acting() != null ? place.acting() : guest(place);
        try {
            action.run(place.owner().id(), BookingAccess.requester(user, false));
        } catch (SlotConflictException conflict) {
            Map<String, Object> model = model(request, place);
            model.put("conflictText", BookingCalendarPages.messages(model).get("problem.slot_conflict.title"));
            return pages.respond(request, HttpStatus.CONFLICT, "booking/mine", model);
        } catch (ProblemException refused) {
            if (refused.status() == HttpStatus.NOT_FOUND) {
                throw refused;
            }
            Map<String, Object> model = model(request, place);
            pages.withProblem(request, model, refused);
            return pages.respond(request, refused.status(), "booking/mine", model);
        }
        return HttpResponse.seeOther(URI.create(place.link("/my/bookings", "done=" + done)));
    }

    // ---------------------------------------------------------------- calendar feed

    /** A new "my bookings" feed (replacing a live one); the page answering shows its link this once. */
    @Post(value = "/my/calendar-feed", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> createFeed(HttpRequest<?> request, @Body String body) {
        Map<String, List<String>> data = InstrumentForm.decode(body);
        BookingPagesSupport.Place place = support.place(request, BookingCalendarPages.one(data, "tenant"));
        AuthenticatedUser user = member(place);
        CalendarFeeds.Feed f = feeds.create(user.actingTenant(), user.userId(), CatalogueAccess.actor(user), "mine", null);
        return feedShown(request, place, f, "feed_created");
    }

    @Post(value = "/my/calendar-feed/{id}/rotate", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> rotateFeed(HttpRequest<?> request, @PathVariable String id, @Body String body) {
        Map<String, List<String>> data = InstrumentForm.decode(body);
        BookingPagesSupport.Place place = support.place(request, BookingCalendarPages.one(data, "tenant"));
        AuthenticatedUser user = member(place);
        CalendarFeeds.Feed f = feeds.rotate(user.actingTenant(), user.userId(), CatalogueAccess.actor(user),
                BookingCalendarPages.uuid(id));
        return feedShown(request, place, f, "feed_rotated");
    }

    @Post(value = "/my/calendar-feed/{id}/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> revokeFeed(HttpRequest<?> request, @PathVariable String id, @Body String body) {
        Map<String, List<String>> data = InstrumentForm.decode(body);
        BookingPagesSupport.Place place = support.place(request, BookingCalendarPages.one(data, "tenant"));
        AuthenticatedUser user = member(place);
        feeds.revoke(user.actingTenant(), user.userId(), CatalogueAccess.actor(user), BookingCalendarPages.uuid(id));
        return HttpResponse.seeOther(URI.create(place.link("/my/bookings", "done=feed_revoked") + "#feeds"));
    }

    private HttpResponse<?> feedShown(HttpRequest<?> request, BookingPagesSupport.Place place, CalendarFeeds.Feed f,
                                      String done) {
        Map<String, Object> model = model(request, place);
        model.put("feedUrl", mailer.link("/ical/" + f.token() + ".ics"));
        model.put("done", BookingCalendarPages.messages(model).get("booking.page.done." + done));
        model.put("doneCode", done);
        return pages.respond(request, HttpStatus.OK, "booking/mine", model);
    }

    // ---------------------------------------------------------------- the page

    /** The person acting from home at an institution where they hold no role (404 on their own institution's pages). */
    private static AuthenticatedUser guest(BookingPagesSupport.Place place) {
        if (!place.outside()) {
            throw ProblemException.notFound();
        }
        return place.home();
    }

    private static AuthenticatedUser member(BookingPagesSupport.Place place) {
        if (place.acting() == null) {
            throw ProblemException.notFound();
        }
        return place.acting();
    }

    private Map<String, Object> model(HttpRequest<?> request, BookingPagesSupport.Place place) {
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        model.put("place", place);
        model.put("ownerName", place.owner().name(zh));
        model.put("tenantParam", place.outside() ? place.owner().slug() : "");
        model.put("zone", place.zone().getId());
        AuthenticatedUser user = place.acting();
        if (user == null && !place.outside()) {
            model.put("member", false);
            return model;
        }
        model.put("member", true);
        boolean guest = user == null;
        model.put("guest", guest);
        TenantId owner = place.owner().id();
        UUID userId = place.home().userId();
        ZoneId zone = place.zone();
        Instant now = clock.now();
        List<Booking> mine = guest ? outside.mine(place.home(), place.owner().slug(), now.minus(PAST), now.plus(AHEAD))
                : bookings.mine(owner, userId, now.minus(PAST), now.plus(AHEAD));
        List<Waitlist.Entry> entries = waitlist.mine(owner, userId);
        Set<UUID> ids = new HashSet<>();
        mine.forEach(b -> ids.add(b.instrumentId()));
        entries.forEach(e -> ids.add(e.instrumentId()));
        Map<UUID, String[]> names = support.instrumentNames(owner, ids);
        List<Row> upcoming = new ArrayList<>();
        List<Row> past = new ArrayList<>();
        for (Booking b : mine) {
            boolean ended = !b.endInstant().isAfter(now);
            boolean open = b.active() && !"checked_in".equals(b.status());
            Row row = new Row(b, BookingPagesSupport.name(names, b.instrumentId(), zh),
                    place.link("/instruments/" + b.instrumentId() + "/calendar", null),
                    BookingPagesSupport.shown(b.start(), zone), BookingPagesSupport.shown(b.end(), zone),
                    BookingPagesSupport.input(b.start(), zone), BookingPagesSupport.input(b.end(), zone),
                    open && b.startInstant().isAfter(now), open && b.startInstant().isAfter(now),
                    "approved".equals(b.status()) && !ended
                            && !now.isBefore(b.startInstant().minus(BookingService.CHECK_IN_EARLY)));
            (ended ? past : upcoming).add(row);
        }
        past.sort((a, c) -> c.b().start().compareTo(a.b().start()));
        model.put("upcoming", upcoming);
        model.put("past", past);
        List<WaitRow> waiting = new ArrayList<>();
        for (Waitlist.Entry e : entries) {
            if (!List.of("waiting", "offered").contains(e.status())) {
                continue;
            }
            boolean offerOpen = e.offer() != null && "offered".equals(e.offer().status())
                    && e.offer().expiresAt().toInstant().isAfter(now);
            waiting.add(new WaitRow(e, BookingPagesSupport.name(names, e.instrumentId(), zh),
                    BookingPagesSupport.shown(e.start(), zone), BookingPagesSupport.shown(e.end(), zone),
                    e.offer() == null ? null : BookingPagesSupport.shown(e.offer().expiresAt(), zone), offerOpen));
        }
        model.put("waiting", waiting);
        // feeds live at one's own institution (its "mine" feed also lists bookings made elsewhere)
        model.put("feeds", guest ? List.of() : feeds.list(owner, userId).stream()
                .filter(f -> "mine".equals(f.kind())).toList());
        if (!place.outside() && !elsewhere.isEmpty()) {
            elsewhere(request, model, user, zone, now, zh);
        }
        return model;
    }

    /**
     * The "bookings at other institutions" section of one's own institution's page: the home's
     * linked records of the caller ({@code ?elsewhere=n}: the n-th page of {@link #ELSEWHERE_PAGE}).
     */
    private void elsewhere(HttpRequest<?> request, Map<String, Object> model, AuthenticatedUser user, ZoneId zone,
                           Instant now, boolean zh) {
        int page = Math.min(Integer.parseInt(number(request.getParameters().get("elsewhere"))), 10_000);
        BookingsElsewhere.Listing listing = elsewhere.get(0).of(user, now, page * ELSEWHERE_PAGE, ELSEWHERE_PAGE);
        List<ElsewhereRow> rows = new ArrayList<>();
        for (BookingsElsewhere.Item i : listing.items()) {
            String instrument = zh || i.instrumentNameEn() == null || i.instrumentNameEn().isBlank()
                    ? (i.instrumentNameZh() == null ? i.instrumentId().toString() : i.instrumentNameZh()) : i.instrumentNameEn();
            String ownerName = zh || i.ownerNameEn() == null || i.ownerNameEn().isBlank() ? i.ownerNameZh() : i.ownerNameEn();
            String slug = i.ownerSlug();
            rows.add(new ElsewhereRow(i, instrument, ownerName, BookingPagesSupport.shown(i.start(), zone),
                    BookingPagesSupport.shown(i.end(), zone), yuan(i.estimatedCostFen()),
                    slug == null ? null : "/my/bookings?tenant=" + slug + "#booking-" + i.bookingId(),
                    slug == null ? null : "/instruments/" + i.instrumentId() + "/calendar?tenant=" + slug,
                    i.end().toInstant().isAfter(now)));
        }
        model.put("elsewhere", rows);
        model.put("elsewhereTotal", listing.total());
        PageUrl here = (PageUrl) model.get("here");
        long shown = (long) page * ELSEWHERE_PAGE + rows.size();
        model.put("elsewhereMore", shown < listing.total() ? here.with("elsewhere", page + 1) + "#elsewhere" : null);
        model.put("elsewherePrev", page > 0 ? here.with("elsewhere", page - 1) + "#elsewhere" : null);
    }

    /** Fen as yuan with two decimals ({@code 123450} → {@code ¥1,234.50}); null stays null. */
    static @Nullable String yuan(@Nullable Long fen) {
        if (fen == null) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "¥%,.2f", java.math.BigDecimal.valueOf(fen, 2));
    }

    private static String number(@Nullable String s) {
        try {
            return s == null ? "0" : Integer.toString(Math.max(0, Integer.parseInt(s.strip())));
        } catch (NumberFormatException e) {
            return "0";
        }
    }
}
