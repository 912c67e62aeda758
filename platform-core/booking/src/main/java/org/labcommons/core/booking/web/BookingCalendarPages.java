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
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import org.labcommons.core.booking.Booking;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.BookingRules;
import org.labcommons.core.booking.BookingRulesService;
import org.labcommons.core.booking.BookingService;
import org.labcommons.core.booking.CalendarPagePanel;
import org.labcommons.core.booking.FreeTime;
import org.labcommons.core.booking.OutsideBookings;
import org.labcommons.core.booking.Qualifications;
import org.labcommons.core.booking.SlotConflictException;
import org.labcommons.core.booking.Waitlist;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.InstrumentForm;
import org.labcommons.core.catalog.PublicCatalogue;
import org.labcommons.core.catalog.RateGroups;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.Pages;

import org.labcommons.core.tenancy.TenantId;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An instrument's booking calendar and booking form: {@code /instruments/{id}/calendar} (the
 * instrument of one's own institution, or of another with {@code ?tenant=slug}). A week of free/busy
 * drawn by FullCalendar from {@code …/calendar/events} (bookings without names, maintenance, closed
 * hours and closures; the caller's own bookings marked), the same week as a list for browsers
 * without JavaScript, and a plain HTML form (POST, then redirect) that books through
 * {@link BookingService} exactly as the API does: refusals next to their fields, a taken slot with
 * the slot in the way and an offer to wait for it.
 */
@Controller
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class BookingCalendarPages {
    static final int MAX_REPEAT = 52;
    /** The authorisation states with which a person may book self-operated time. */
    static final Set<String> TRAINED = Set.of("valid", "not_required");
    /** The calendar's own words (FullCalendar's locale, the keyboard and tap help), from the bundles. */
    private static final List<String> CALENDAR_LABELS = List.of("today", "week", "day", "list", "three_days", "prev",
            "next", "this", "view", "all_day", "no_events", "more", "help", "cursor", "start_set", "chosen", "past",
            "unavailable");

    private final Pages pages;
    private final BookingPagesSupport support;
    private final PublicCatalogue catalogue;
    private final BookingAccess access;
    private final BookingService bookings;
    private final BookingRulesService rules;
    private final Qualifications qualifications;
    private final Waitlist waitlist;
    private final RateGroups rateGroups;
    private final BookingClock clock;
    private final OutsideBookings outside;
    private final FreeTime freeTime;
    private final JsonMapper json;
    private final List<CalendarPagePanel> panels;

    public BookingCalendarPages(Pages pages, BookingPagesSupport support, PublicCatalogue catalogue,
                                BookingAccess access, BookingService bookings, BookingRulesService rules,
                                Qualifications qualifications, Waitlist waitlist, RateGroups rateGroups,
                                BookingClock clock, OutsideBookings outside, FreeTime freeTime, JsonMapper json,
                                List<CalendarPagePanel> panels) {
        this.panels = panels;
        this.outside = outside;
        this.freeTime = freeTime;
        this.json = json;
        this.pages = pages;
        this.support = support;
        this.catalogue = catalogue;
        this.access = access;
        this.bookings = bookings;
        this.rules = rules;
        this.qualifications = qualifications;
        this.waitlist = waitlist;
        this.rateGroups = rateGroups;
        this.clock = clock;
    }

    /** One entry of the calendar: local wall-clock times in the instrument's zone, without an offset. */
    @Serdeable
    public record CalendarEvent(String kind, String title, String start, String end, boolean mine,
                                @Nullable String status) {
    }

    /** What the form holds (as typed). */
    public record FormValues(String start, String end, String accountCode, String purpose, boolean assisted,
                             String repeat) {
    }

    /** The slot in the way of a booking, as the page shows it. */
    public record ConflictView(String kind, String start, String end, String message) {
    }

    // ---------------------------------------------------------------- calendar

    @Get(value = "/instruments/{id}/calendar", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> calendar(HttpRequest<?> request, @PathVariable String id, @Nullable @QueryValue String tenant,
                                    @Nullable @QueryValue String week, @Nullable @QueryValue String start,
                                    @Nullable @QueryValue String end) {
        BookingPagesSupport.Place place = support.place(request, tenant);
        Instrument i = instrument(place, id);
        boolean member = place.acting() != null || place.outside();
        boolean untrained = member && !TRAINED.contains(authorisation(place, i.id()));
        FormValues form = new FormValues(start == null ? "" : start, end == null ? "" : end, "", "", untrained, "1");
        if ((week == null || week.isBlank()) && member) {
            // the week of a slot handed in, else the first week with free time from now, else this week
            Instant s = BookingPagesSupport.parseLocal(form.start(), place.zone());
            week = s != null ? s.atZone(place.zone()).toLocalDate().toString()
                    : freeTime.firstFreeWeek(place.owner().id(), i.id()).map(LocalDate::toString).orElse(null);
        }
        return page(request, place, i, week, form, HttpStatus.OK, null, null, Set.of());
    }

    /** The calendar's events between {@code start} and {@code end} (FullCalendar's wall-clock times). */
    @Get(value = "/instruments/{id}/calendar/events", produces = MediaType.APPLICATION_JSON)
    public List<CalendarEvent> events(HttpRequest<?> request, @PathVariable String id, @Nullable @QueryValue String tenant,
                                      @Nullable @QueryValue String start, @Nullable @QueryValue String end) {
        BookingPagesSupport.Place place = support.place(request, tenant);
        UUID instrumentId = uuid(id);
        readable(place, instrumentId);
        ZoneId zone = place.zone();
        LocalDateTime from = wallTime(start, LocalDate.now(zone).atStartOfDay());
        LocalDateTime to = wallTime(end, from.plusDays(7));
        Instant[] w = access.window(from.atZone(zone).toOffsetDateTime(), to.atZone(zone).toOffsetDateTime());
        Map<String, String> t = messages(pages.model(request));
        return events(place, instrumentId, w[0], w[1], from.toLocalDate(), to.toLocalDate().plusDays(1), t);
    }

    // ---------------------------------------------------------------- booking

    @Post(value = "/instruments/{id}/calendar", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<?> book(HttpRequest<?> request, @PathVariable String id, @Body String body) {
        Map<String, List<String>> data = InstrumentForm.decode(body);
        BookingPagesSupport.Place place = support.place(request, one(data, "tenant"));
        Instrument i = instrument(place, id);
        FormValues form = new FormValues(one(data, "start"), one(data, "end"), one(data, "accountCode"),
                one(data, "purpose"), "on".equals(one(data, "assisted")) || "true".equals(one(data, "assisted")),
                one(data, "repeat").isBlank() ? "1" : one(data, "repeat"));
        Instant chosen = BookingPagesSupport.parseLocal(form.start(), place.zone());
        // a refused submit comes back on the week of the chosen slot (the calendar may have moved since the page was drawn)
        String week = chosen != null ? chosen.atZone(place.zone()).toLocalDate().toString() : one(data, "week");
        if (place.acting() == null && !place.outside()) {
            throw ProblemException.notFound();
        }
        List<FieldProblem> invalid = new ArrayList<>();
        Instant s = BookingPagesSupport.parseLocal(form.start(), place.zone());
        Instant e = BookingPagesSupport.parseLocal(form.end(), place.zone());
        if (s == null) {
            invalid.add(new FieldProblem("start", "datetime", "validation.booking_page.datetime", Map.of()));
        }
        if (e == null) {
            invalid.add(new FieldProblem("end", "datetime", "validation.booking_page.datetime", Map.of()));
        }
        if (form.accountCode().length() > 64) {
            invalid.add(new FieldProblem("accountCode", "size", "validation.booking_page.account_code", Map.of("max", 64)));
        }
        if (form.purpose().length() > 1000) {
            invalid.add(new FieldProblem("purpose", "size", "validation.booking_page.purpose", Map.of("max", 1000)));
        }
        int repeat = repeat(form.repeat());
        if (repeat < 1) {
            invalid.add(new FieldProblem("repeat", "range", "validation.booking_page.repeat", Map.of("max", MAX_REPEAT)));
        }
        if (!invalid.isEmpty()) {
            return page(request, place, i, week, form, HttpStatus.BAD_REQUEST,
                    new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", invalid), null, Set.of());
        }
        AuthenticatedUser user = place.acting();
        BookingService.Requester who = null;
        if (user != null) {
            try {
                who = BookingAccess.requester(user, access.bookable(user, i.id()).staff());
            } catch (ProblemException forbidden) {
                return page(request, place, i, week, form, forbidden.status(), forbidden, null, Set.of());
            }
        }
        BookingService.NewBooking wanted = new BookingService.NewBooking(s, e, blankToNull(form.accountCode()), null,
                form.assisted(), blankToNull(form.purpose()));
        try {
            if (repeat == 1) {
                // no role at the instrument's institution: booked from home (OutsideBookings), stored there all the same
                Booking b = who == null ? outside.create(place.home(), place.owner().slug(), i.id(), wanted)
                        : bookings.create(user.actingTenant(), who, i.id(), wanted);
                return HttpResponse.seeOther(URI.create(place.link("/my/bookings", "done=" + b.status() + "&booking=" + b.id())));
            }
            List<BookingService.Occurrence> outcomes = who == null
                    ? outside.createWeekly(place.home(), place.owner().slug(), i.id(), wanted, repeat)
                    : bookings.createWeekly(user.actingTenant(), who, i.id(), wanted, repeat);
            long created = outcomes.stream().filter(o -> o.booking() != null).count();
            if (created > 0) {
                return HttpResponse.seeOther(URI.create(place.link("/my/bookings",
                        "done=series&created=" + created + "&skipped=" + (outcomes.size() - created))));
            }
            BookingService.Occurrence first = outcomes.get(0);
            if (first.conflict() != null) {
                throw first.conflict();
            }
            throw first.refusal();
        } catch (SlotConflictException conflict) {
            return page(request, place, i, week, form, HttpStatus.CONFLICT, null, conflict.conflict(), Set.of());
        } catch (ProblemException refused) {
            Set<String> codes = new HashSet<>();
            refused.fieldProblems().forEach(p -> codes.add(p.code()));
            return page(request, place, i, week, form, refused.status(), refused, null, codes);
        }
    }

    /** Waits for a taken slot (offered from the conflict message). */
    @Post(value = "/instruments/{id}/waitlist", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<?> wait(HttpRequest<?> request, @PathVariable String id, @Body String body) {
        Map<String, List<String>> data = InstrumentForm.decode(body);
        BookingPagesSupport.Place place = support.place(request, one(data, "tenant"));
        Instrument i = instrument(place, id);
        if (place.acting() == null && !place.outside()) {
            throw ProblemException.notFound();
        }
        FormValues form = new FormValues(one(data, "start"), one(data, "end"), one(data, "accountCode"),
                one(data, "purpose"), "true".equals(one(data, "assisted")), "1");
        Instant s = BookingPagesSupport.parseLocal(form.start(), place.zone());
        Instant e = BookingPagesSupport.parseLocal(form.end(), place.zone());
        if (s == null || e == null) {
            return page(request, place, i, null, form, HttpStatus.BAD_REQUEST, new ProblemException(HttpStatus.BAD_REQUEST,
                    "validation_failed", List.of(new FieldProblem(s == null ? "start" : "end", "datetime",
                    "validation.booking_page.datetime", Map.of()))), null, Set.of());
        }
        AuthenticatedUser user = place.acting();
        BookingService.NewBooking wanted = new BookingService.NewBooking(s, e, blankToNull(form.accountCode()), null,
                form.assisted(), blankToNull(form.purpose()));
        try {
            if (user == null) {
                outside.joinWaitlist(place.home(), place.owner().slug(), i.id(), wanted);
            } else {
                BookingAccess.Target target = access.bookable(user, i.id());
                waitlist.join(user.actingTenant(), BookingAccess.requester(user, target.staff()), i.id(), wanted);
            }
        } catch (ProblemException refused) {
            return page(request, place, i, null, form, refused.status(), refused, null, Set.of());
        }
        return HttpResponse.seeOther(URI.create(place.link("/my/bookings", "done=waiting")));
    }

    // ---------------------------------------------------------------- the page

    private HttpResponse<?> page(HttpRequest<?> request, BookingPagesSupport.Place place, Instrument i,
                                 @Nullable String week, FormValues form, HttpStatus status,
                                 @Nullable ProblemException problem, @Nullable SlotConflictException.Conflict conflict,
                                 Set<String> refusalCodes) {
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        Map<String, String> t = messages(model);
        ZoneId zone = place.zone();
        model.put("place", place);
        model.put("i", i);
        model.put("instrumentName", zh ? i.nameZh() : (i.nameEn() == null || i.nameEn().isBlank() ? i.nameZh() : i.nameEn()));
        model.put("ownerName", place.owner().name(zh));
        model.put("zone", zone.getId());
        model.put("instrumentHref", "/t/" + place.owner().slug() + "/instruments/" + i.id());
        model.put("tenantParam", place.outside() ? place.owner().slug() : "");
        model.put("myBookingsHref", place.link("/my/bookings", null));
        model.put("form", form);
        model.put("refusalCodes", refusalCodes);
        if (problem != null) {
            pages.withProblem(request, model, problem);
        }
        if (place.acting() == null && !place.outside()) {
            model.put("member", false);
            return pages.respond(request, status, "booking/calendar", model);
        }
        model.put("member", true);
        boolean staff = readable(place, i.id());
        TenantId owner = place.owner().id();
        BookingRules r = rules.get(owner, i.id());
        LocalDate monday = BookingPagesSupport.monday(parseWeek(week).orElse(clock.now().atZone(zone).toLocalDate()));
        model.put("week", monday.toString());
        model.put("prevWeek", calendarHref(place, i, monday.minusWeeks(1)));
        model.put("nextWeek", calendarHref(place, i, monday.plusWeeks(1)));
        model.put("weekLabel", monday + " – " + monday.plusDays(6));
        Instant from = monday.atStartOfDay(zone).toInstant();
        Instant to = monday.plusWeeks(1).atStartOfDay(zone).toInstant();
        List<CalendarEvent> events = events(place, i.id(), from, to, monday, monday.plusWeeks(1), t);
        model.put("rows", events.stream().filter(e -> !"hours".equals(e.kind()) && !"past".equals(e.kind())).toList());
        model.put("eventsHref", "/instruments/" + i.id() + "/calendar/events");
        model.put("rules", r);
        model.put("hours", hours(r, t));
        int[] shown = shownHours(r);
        model.put("slotMin", String.format("%02d:00:00", shown[0]));
        model.put("slotMax", String.format("%02d:00:00", shown[1]));
        boolean outside = place.outside();
        String rateCode = bookings.rateGroupFor(owner, place.home().homeTenant(), i.id());
        model.put("rateGroup", rateGroups.list(place.owner().id()).stream().filter(g -> g.code().equals(rateCode))
                .findFirst().map(g -> g.name(zh)).orElse(rateCode));
        model.put("approvalNeeded", r.needsApproval(outside, false));
        model.put("staff", staff);
        AuthenticatedUser viewer = place.acting() != null ? place.acting() : place.home();
        model.put("panels", panels.stream().flatMap(p -> p.panel(place.owner(), i, viewer, staff, zh).stream())
                .sorted(Comparator.comparingInt(org.labcommons.core.catalog.InstrumentPagePanel.Panel::order)).toList());
        String authorisation = authorisation(place, i.id());
        model.put("authorisation", authorisation);
        model.put("untrained", !TRAINED.contains(authorisation));
        model.put("now", BookingPagesSupport.wall(clock.now(), zone));
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        CALENDAR_LABELS.forEach(k -> labels.put(k, t.getOrDefault("booking.page.cal." + k, k)));
        try {
            model.put("calendarLabels", json.writeValueAsString(labels));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (conflict != null) {
            String kind = t.getOrDefault("booking.page.kind." + conflict.kind(), conflict.kind());
            String s = BookingPagesSupport.shown(conflict.start(), zone);
            String e = BookingPagesSupport.shown(conflict.end(), zone);
            model.put("conflict", new ConflictView(conflict.kind(), s, e, t.get("booking.page.conflict.detail")
                    .replace("{kind}", kind).replace("{start}", s).replace("{end}", e)));
        }
        return pages.respond(request, status, "booking/calendar", model);
    }

    /** Busy bookings (no names), the caller's own bookings, maintenance and closed time between from and to. */
    private List<CalendarEvent> events(BookingPagesSupport.Place place, UUID instrumentId, Instant from, Instant to,
                                       LocalDate firstDay, LocalDate endDay, Map<String, String> t) {
        TenantId owner = place.owner().id();
        ZoneId zone = place.zone();
        List<CalendarEvent> out = new ArrayList<>();
        Set<Instant> mineStarts = new HashSet<>();
        for (Booking b : bookings.forInstrument(owner, instrumentId, place.home().userId(), from, to)) {
            if (b.active()) {
                mineStarts.add(b.startInstant());
                out.add(new CalendarEvent("mine", t.get("booking.page.event.mine") + " · "
                        + t.getOrDefault("booking.status." + b.status(), b.status()),
                        BookingPagesSupport.wall(b.startInstant(), zone), BookingPagesSupport.wall(b.endInstant(), zone),
                        true, b.status()));
            }
        }
        for (BookingService.Busy busy : bookings.busy(owner, instrumentId, from, to)) {
            if ("booking".equals(busy.kind()) && mineStarts.contains(busy.start().toInstant())) {
                continue;
            }
            String title = "maintenance".equals(busy.kind()) ? t.get("booking.page.event.maintenance")
                    : "tentative".equals(busy.status()) ? t.get("booking.page.event.tentative") : t.get("booking.page.event.busy");
            out.add(new CalendarEvent(busy.kind(), title, BookingPagesSupport.wall(busy.start().toInstant(), zone),
                    BookingPagesSupport.wall(busy.end().toInstant(), zone), false, busy.status()));
        }
        BookingRules r = rules.get(owner, instrumentId);
        // the time already over (whole past days and the passed part of today) cannot be chosen
        LocalDateTime now = clock.now().atZone(zone).toLocalDateTime().withSecond(0).withNano(0);
        LocalDateTime first = firstDay.atStartOfDay();
        LocalDateTime last = endDay.atStartOfDay();
        if (now.isAfter(first)) {
            out.add(new CalendarEvent("past", t.get("booking.page.event.past"), first.format(BookingPagesSupport.WALL),
                    (now.isBefore(last) ? now : last).format(BookingPagesSupport.WALL), false, null));
        }
        for (BookingPagesSupport.Closed c : BookingPagesSupport.closed(r, firstDay, endDay)) {
            String title = "closure".equals(c.kind())
                    ? t.get("booking.page.event.closure") + (c.reason() == null ? "" : ": " + c.reason())
                    : t.get("booking.page.event.closed");
            out.add(new CalendarEvent(c.kind(), title, c.from().format(BookingPagesSupport.WALL),
                    c.to().format(BookingPagesSupport.WALL), false, null));
        }
        out.sort(Comparator.comparing(CalendarEvent::start).thenComparing(CalendarEvent::kind));
        return out;
    }

    /**
     * The hours of the day the calendar shows: from an hour before the earliest opening to an hour
     * after the latest closing of the week (whole hours; all day when nothing is open).
     */
    static int[] shownHours(BookingRules r) {
        int from = 1440;
        int to = 0;
        for (List<BookingRules.Interval> day : r.weeklyHours().values()) {
            for (BookingRules.Interval iv : day) {
                from = Math.min(from, iv.fromMinutes());
                to = Math.max(to, iv.toMinutes());
            }
        }
        if (to <= from) {
            return new int[]{0, 24};
        }
        return new int[]{Math.max(0, from / 60 - 1), Math.min(24, (to + 59) / 60 + 1)};
    }

    /** "Mon 08:00–20:00" lines of the weekly hours. */
    private static List<String> hours(BookingRules r, Map<String, String> t) {
        List<String> out = new ArrayList<>();
        for (String day : BookingRules.WEEKDAYS) {
            List<BookingRules.Interval> open = r.weeklyHours().getOrDefault(day, List.of());
            out.add(t.getOrDefault("booking.page.day." + day, day) + " " + (open.isEmpty() ? t.get("booking.page.closed_day")
                    : String.join(", ", open.stream().map(iv -> iv.from() + "–" + iv.to()).toList())));
        }
        return out;
    }

    /**
     * Checks the person may read the instrument's calendar and returns whether they are its staff:
     * through their role at the institution, or from home when they hold none there
     * ({@link OutsideBookings}: what its public catalogue shows them; never staff).
     */
    private boolean readable(BookingPagesSupport.Place place, UUID instrumentId) {
        if (place.acting() != null) {
            return access.readable(place.acting(), instrumentId).staff();
        }
        if (!place.outside()) {
            throw ProblemException.notFound();
        }
        outside.place(place.home(), place.owner().slug(), instrumentId);
        return false;
    }

    /** The person's authorisation for the instrument: {@code not_required}, {@code valid}, {@code expired}, {@code revoked} or {@code none}. */
    private String authorisation(BookingPagesSupport.Place place, UUID instrumentId) {
        TenantId owner = place.owner().id();
        return !rules.get(owner, instrumentId).qualificationRequired() ? "not_required"
                : qualifications.find(owner, instrumentId, place.home().userId()).map(Qualifications.Authorisation::state)
                .orElse("none");
    }

    private String calendarHref(BookingPagesSupport.Place place, Instrument i, LocalDate monday) {
        return place.link("/instruments/" + i.id() + "/calendar", "week=" + monday);
    }

    /** The instrument as the catalogue shows it to this person, or the 404 page (thrown). */
    private Instrument instrument(BookingPagesSupport.Place place, String id) {
        UUID instrumentId = uuid(id);
        AuthenticatedUser viewer = place.acting() != null ? place.acting() : place.home();
        Instrument i = catalogue.find(place.owner(), viewer, instrumentId).orElseThrow(ProblemException::notFound);
        if (place.acting() != null) {
            access.readable(place.acting(), i.id());
        }
        return i;
    }

    static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.notFound();
        }
    }

    private static java.util.Optional<LocalDate> parseWeek(@Nullable String week) {
        try {
            return week == null || week.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(LocalDate.parse(week.strip()));
        } catch (DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }

    private static LocalDateTime wallTime(@Nullable String value, LocalDateTime fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.strip();
        try {
            return OffsetDateTime.parse(v).toLocalDateTime();
        } catch (DateTimeParseException e) {
            try {
                return v.length() == 10 ? LocalDate.parse(v).atStartOfDay() : LocalDateTime.parse(v);
            } catch (DateTimeParseException e2) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed");
            }
        }
    }

    static int repeat(String value) {
        try {
            int n = Integer.parseInt(value.strip());
            return n >= 1 && n <= MAX_REPEAT ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String one(Map<String, List<String>> data, String name) {
        List<String> v = data.get(name);
        return v == null || v.isEmpty() || v.get(0) == null ? "" : v.get(0).strip();
    }

    static @Nullable String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> messages(Map<String, Object> model) {
        return (Map<String, String>) model.get("t");
    }

    static Locale locale(Map<String, Object> model) {
        return (Locale) model.get("locale");
    }

}
