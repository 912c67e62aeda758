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
import org.labcommons.core.booking.MyBookingsList;
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
 * "My bookings" at {@code /my/bookings}: one list of the signed-in person's bookings
 * ({@link MyBookingsList}): on their own institution's page those held there and those held at
 * other institutions (the {@link BookingsElsewhere} port, kept by the federation module), with
 * {@code ?tenant=slug} those held at that institution; not yet ended first (soonest first), then
 * the ended ones (latest first), {@link #PAGE} a page ({@code ?page=n}); each row with the
 * instrument, where it is (institution, unit, building and room), the time in the page's zone,
 * the status, the estimated cost and the assisted flag. Cancel (asked once: the button opens a
 * confirm form), move and check-in where the booking's state allows (the rules are the service's:
 * a refusal is shown on the page); a booking elsewhere is cancelled through that institution's
 * guest view and the person comes back to this list. Below: their waitlist entries with open offers
 * (accept, decline, withdraw; shown only when there are any) and their "my bookings" calendar feed
 * (create, rotate, revoke; the link is shown once, on the page answering the change). Every action
 * is a form POST followed by a redirect back, through the same services and access rules as the API.
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
    private final MyBookingsList list;

    public MyBookingsPages(Pages pages, BookingPagesSupport support, BookingAccess access, BookingService bookings,
                           Waitlist waitlist, CalendarFeeds feeds, Mailer mailer, BookingClock clock,
                           OutsideBookings outside, MyBookingsList list) {
        this.outside = outside;
        this.list = list;
        this.pages = pages;
        this.support = support;
        this.access = access;
        this.bookings = bookings;
        this.waitlist = waitlist;
        this.feeds = feeds;
        this.mailer = mailer;
        this.clock = clock;
    }

    /**
     * A row of the one list ({@link MyBookingsList.Entry}) as shown, with what the person may do
     * now; {@code tenantParam}: the institution the actions go to ("" for the page's own),
     * {@code firstPast}: the first ended row (the list's divider is drawn above it).
     */
    public record Row(MyBookingsList.Entry e, String instrument, String where, String start, String end,
                      @Nullable String cost, @Nullable String calendarHref, @Nullable String openHref,
                      String tenantParam, String startInput, String endInput, boolean cancel, boolean move,
                      boolean checkIn, boolean firstPast) {
    }

    /** Rows of the list per page. */
    static final int PAGE = 10;

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
        if ("mine".equals(BookingCalendarPages.one(data, "back"))) {
            return HttpResponse.seeOther(URI.create("/my/bookings?done=" + done + "#booking-" + seen.booking().id()));
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
        int page = Math.min(Integer.parseInt(number(request.getParameters().get("page"))), MyBookingsList.MAX_PAGE);
        MyBookingsList.Listing listing = list.page(new MyBookingsList.Held(owner, place.outside() ? place.owner().slug() : null,
                        place.owner().nameZh(), place.owner().nameEn(), mine), userId,
                place.outside() ? null : user, now, page, PAGE);
        model.put("rows", rows(listing, place, zone, now, zh));
        model.put("total", listing.total());
        model.put("anyUpcoming", listing.anyUpcoming());
        model.put("pageNo", page);
        PageUrl here = (PageUrl) model.get("here");
        long shown = (long) page * PAGE + listing.items().size();
        model.put("nextHref", shown < listing.total() ? here.with("page", page + 1) + "#my-list" : null);
        model.put("prevHref", page > 0 ? here.with("page", page - 1) + "#my-list" : null);

        List<Waitlist.Entry> entries = waitlist.mine(owner, userId);
        Set<UUID> ids = new HashSet<>();
        entries.forEach(e -> ids.add(e.instrumentId()));
        Map<UUID, String[]> names = support.instrumentNames(owner, ids);
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
        return model;
    }

    /** The list's rows as shown: names in the page's language, times in the page's zone, what may be done now. */
    private List<Row> rows(MyBookingsList.Listing listing, BookingPagesSupport.Place place, ZoneId zone, Instant now,
                           boolean zh) {
        List<Row> rows = new ArrayList<>();
        boolean pastSeen = false;
        for (MyBookingsList.Entry e : listing.items()) {
            boolean firstPast = !e.upcoming() && !pastSeen;
            pastSeen |= !e.upcoming();
            String instrument = pick(zh, e.instrumentNameZh(), e.instrumentNameEn(), e.instrumentId().toString());
            List<String> where = new ArrayList<>();
            where.add(pick(zh, e.ownerNameZh(), e.ownerNameEn(), ""));
            String unit = pick(zh, e.unitNameZh(), e.unitNameEn(), null);
            if (unit != null) {
                where.add(unit);
            }
            String room = String.join(" ", java.util.stream.Stream.of(e.building(), e.room())
                    .filter(x -> x != null && !x.isBlank()).toList());
            if (!room.isEmpty()) {
                where.add(room);
            }
            boolean started = !e.start().toInstant().isAfter(now);
            if (e.elsewhere()) {
                String slug = e.ownerSlug();
                boolean open = List.of("requested", "approved").contains(e.status()) && "linked".equals(e.homeStatus());
                rows.add(new Row(e, instrument, String.join(" · ", where), BookingPagesSupport.shown(e.start(), zone),
                        BookingPagesSupport.shown(e.end(), zone), yuan(e.estimatedCostFen()),
                        slug == null ? null : "/instruments/" + e.instrumentId() + "/calendar?tenant=" + slug,
                        slug == null ? null : "/my/bookings?tenant=" + slug + "#booking-" + e.bookingId(),
                        slug == null ? "" : slug, "", "", slug != null && open && !started, false, false, firstPast));
                continue;
            }
            Booking b = e.booking();
            boolean ended = !e.upcoming();
            boolean open = b.active() && !"checked_in".equals(b.status());
            rows.add(new Row(e, instrument, String.join(" · ", where), BookingPagesSupport.shown(b.start(), zone),
                    BookingPagesSupport.shown(b.end(), zone), yuan(e.estimatedCostFen()),
                    place.link("/instruments/" + b.instrumentId() + "/calendar", null), null,
                    place.outside() ? place.owner().slug() : "",
                    BookingPagesSupport.input(b.start(), zone), BookingPagesSupport.input(b.end(), zone),
                    open && !started, open && !started,
                    "approved".equals(b.status()) && !ended
                            && !now.isBefore(b.startInstant().minus(BookingService.CHECK_IN_EARLY)), firstPast));
        }
        return rows;
    }

    /** The name in the page's language, the other when it is missing, else {@code fallback}. */
    private static @Nullable String pick(boolean zh, @Nullable String nameZh, @Nullable String nameEn, @Nullable String fallback) {
        String first = zh ? nameZh : nameEn;
        String second = zh ? nameEn : nameZh;
        return first != null && !first.isBlank() ? first : second != null && !second.isBlank() ? second : fallback;
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
