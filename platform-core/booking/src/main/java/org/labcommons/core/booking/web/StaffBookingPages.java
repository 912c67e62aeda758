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
import org.labcommons.core.booking.BookingPeople;
import org.labcommons.core.booking.BookingService;
import org.labcommons.core.booking.SlotConflictException;
import org.labcommons.core.booking.StaffQueue;
import org.labcommons.core.booking.UsageRecords;
import org.labcommons.core.catalog.RateGroups;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.directory.TenantDirectory;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.web.Pages;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The staff's booking desk ({@code /staff/bookings}): requested bookings of the instruments the
 * caller manages (every instrument for the tenant's admins), oldest request first, with approve and
 * reject; the approved bookings of today and the next days with "no-show" and "record usage";
 * and a form to book for someone else (an assisted session, a request by phone). Every action is
 * a plain POST that answers with a redirect back to the list and a notice (POST-redirect-GET), or
 * with the page and the problem when the action was refused. The rules are those of the booking
 * API ({@link BookingAccess}, {@link BookingService}); the page only translates.
 */
@Controller("/staff/bookings")
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class StaffBookingPages {
    static final int PAGE_SIZE = 20;
    static final int UPCOMING_DAYS = 7;
    static final List<String> NOTICES = List.of("approved", "rejected", "stale", "no_show", "usage_recorded", "booked");

    private final Pages pages;
    private final StaffPageSupport support;
    private final StaffQueue queue;
    private final BookingAccess access;
    private final BookingService bookings;
    private final UsageRecords usage;
    private final BookingPeople people;
    private final TenantDirectory directory;
    private final RateGroups rateGroups;
    private final BookingClock clock;

    public StaffBookingPages(Pages pages, StaffPageSupport support, StaffQueue queue, BookingAccess access,
                             BookingService bookings, UsageRecords usage, BookingPeople people, TenantDirectory directory,
                             RateGroups rateGroups, BookingClock clock) {
        this.clock = clock;
        this.pages = pages;
        this.support = support;
        this.queue = queue;
        this.access = access;
        this.bookings = bookings;
        this.usage = usage;
        this.people = people;
        this.directory = directory;
        this.rateGroups = rateGroups;
    }

    /** A booking as a row of the desk. */
    public record Row(Booking booking, String instrument, String requester, @Nullable String contact, String home,
                      boolean outside, String start, String end, String requestedAt, String rateGroup, boolean started,
                      boolean usageRecorded, String usageStart, String usageEnd) {
    }

    /**
     * The requested slot in its day's context on the approval card: the instrument's bookings that
     * hold time that day (the requested one marked {@code self}; {@code overlap}: it overlaps the
     * request), placed on a 24-hour strip by percent, read-only.
     */
    public record Strip(String day, List<StripItem> items) {
    }

    /** One booking on a {@link Strip}. */
    public record StripItem(UUID id, String from, String to, String status, String who, boolean self, boolean overlap,
                            String left, String width) {
    }

    /** Where to go back to: the list's filter and page. */
    record Back(@Nullable UUID instrument, int page) {
        String href(@Nullable String done) {
            List<String> q = new ArrayList<>();
            if (instrument != null) {
                q.add("instrument=" + instrument);
            }
            if (page > 0) {
                q.add("page=" + page);
            }
            if (done != null) {
                q.add("done=" + URLEncoder.encode(done, StandardCharsets.UTF_8));
            }
            return "/staff/bookings" + (q.isEmpty() ? "" : "?" + String.join("&", q));
        }
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> desk(HttpRequest<?> request, AuthenticatedUser user, @Nullable @QueryValue String instrument,
                                @Nullable @QueryValue String page, @Nullable @QueryValue String done) {
        Back back = new Back(StaffPageSupport.uuid(instrument), pageNumber(page));
        Map<String, Object> model = model(request, user, back);
        model.put("done", done != null && NOTICES.contains(done) ? done : null);
        return pages.respond(request, HttpStatus.OK, "booking/staff/bookings", model);
    }

    @Post(value = "/{id}/approve", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> approve(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @Nullable @Body String body) {
        return decide(request, user, id, body, true);
    }

    @Post(value = "/{id}/reject", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> reject(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @Nullable @Body String body) {
        return decide(request, user, id, body, false);
    }

    private HttpResponse<?> decide(HttpRequest<?> request, AuthenticatedUser user, String id, @Nullable String body, boolean approve) {
        Map<String, List<String>> form = StaffPageSupport.form(body);
        Back back = back(form);
        UUID bookingId = bookingId(id);
        BookingAccess.Seen seen = StaffPageSupport.guarded(() -> access.staffBooking(user, bookingId));
        String note = StaffPageSupport.field(form, "note");
        long version = parseLong(StaffPageSupport.field(form, "version"));
        if (!"requested".equals(seen.booking().status()) || seen.booking().version() != version) {
            return redirect(back.href("stale"));
        }
        if (!approve && note.isEmpty()) {
            Map<String, Object> model = model(request, user, back);
            model.put("noteError", bookingId);
            return pages.respond(request, HttpStatus.BAD_REQUEST, "booking/staff/bookings",
                    pages.withProblem(request, model, new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed",
                            List.of(new FieldProblem("note", "required", "staff.bookings.reason_required", Map.of())))));
        }
        if (note.length() > 1000) {
            note = note.substring(0, 1000);
        }
        BookingService.Requester staff = BookingAccess.requester(user, true);
        try {
            if (approve) {
                bookings.approve(user.actingTenant(), staff, bookingId, note.isEmpty() ? null : note);
            } else {
                bookings.reject(user.actingTenant(), staff, bookingId, note);
            }
        } catch (ProblemException e) {
            if ("wrong_state".equals(e.code())) {
                return redirect(back.href("stale"));
            }
            throw e;
        }
        return redirect(back.href(approve ? "approved" : "rejected"));
    }

    @Post(value = "/{id}/no-show", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> noShow(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @Nullable @Body String body) {
        Map<String, List<String>> form = StaffPageSupport.form(body);
        Back back = back(form);
        UUID bookingId = bookingId(id);
        StaffPageSupport.guarded(() -> access.staffBooking(user, bookingId));
        try {
            bookings.noShow(user.actingTenant(), BookingAccess.requester(user, true), bookingId);
        } catch (ProblemException e) {
            if ("wrong_state".equals(e.code())) {
                return redirect(back.href("stale"));
            }
            return refused(request, user, back, e);
        }
        return redirect(back.href("no_show"));
    }

    @Post(value = "/{id}/usage", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> recordUsage(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id, @Nullable @Body String body) {
        Map<String, List<String>> form = StaffPageSupport.form(body);
        Back back = back(form);
        UUID bookingId = bookingId(id);
        StaffPageSupport.guarded(() -> access.staffBooking(user, bookingId));
        ZoneId zone = StaffPageSupport.zone(support.tenant(user));
        Instant start = StaffPageSupport.local(StaffPageSupport.field(form, "start"), zone);
        Instant end = StaffPageSupport.local(StaffPageSupport.field(form, "end"), zone);
        List<FieldProblem> problems = new ArrayList<>();
        if (start == null) {
            problems.add(new FieldProblem("start", "invalid", "staff.invalid_time", Map.of()));
        }
        if (end == null) {
            problems.add(new FieldProblem("end", "invalid", "staff.invalid_time", Map.of()));
        }
        String notes = StaffPageSupport.field(form, "notes");
        if (notes.length() > 2000) {
            problems.add(new FieldProblem("notes", "size", "staff.too_long", Map.of("max", 2000)));
        }
        try {
            if (!problems.isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
            }
            usage.record(user.actingTenant(), BookingAccess.requester(user, true), bookingId, start, end,
                    notes.isEmpty() ? null : notes);
        } catch (ProblemException e) {
            if ("wrong_state".equals(e.code())) {
                return redirect(back.href("stale"));
            }
            Map<String, Object> model = model(request, user, back);
            model.put("usageError", bookingId);
            model.put("usageForm", Map.of("start", StaffPageSupport.field(form, "start"),
                    "end", StaffPageSupport.field(form, "end"), "notes", notes));
            return pages.respond(request, e.status(), "booking/staff/bookings", pages.withProblem(request, model, e));
        }
        return redirect(back.href("usage_recorded"));
    }

    /** Staff book for someone else: the person is found in the tenant, the booking is theirs and approved. */
    @Post(value = "/on-behalf", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> onBehalf(HttpRequest<?> request, AuthenticatedUser user, @Nullable @Body String body) {
        Map<String, List<String>> form = StaffPageSupport.form(body);
        Back back = back(form);
        List<StaffQueue.ManagedInstrument> managed = support.managedOrForbidden(user);
        ZoneId zone = StaffPageSupport.zone(support.tenant(user));
        Map<String, String> values = new LinkedHashMap<>();
        for (String k : List.of("instrumentId", "person", "start", "end", "rateGroup", "accountCode", "purpose", "assisted")) {
            values.put(k, StaffPageSupport.field(form, k));
        }
        List<FieldProblem> problems = new ArrayList<>();
        UUID instrument = StaffPageSupport.uuid(values.get("instrumentId"));
        if (instrument == null || managed.stream().noneMatch(m -> m.id().equals(instrument))) {
            problems.add(new FieldProblem("instrumentId", "required", "staff.choose_instrument", Map.of()));
        }
        BookingPeople.Person person = values.get("person").isEmpty() ? null
                : support.person(user, values.get("person")).orElse(null);
        if (person == null) {
            problems.add(new FieldProblem("person", "unknown", "staff.person_unknown", Map.of()));
        }
        Instant start = StaffPageSupport.local(values.get("start"), zone);
        Instant end = StaffPageSupport.local(values.get("end"), zone);
        if (start == null) {
            problems.add(new FieldProblem("start", "invalid", "staff.invalid_time", Map.of()));
        }
        if (end == null) {
            problems.add(new FieldProblem("end", "invalid", "staff.invalid_time", Map.of()));
        }
        String rateGroup = values.get("rateGroup").isEmpty() ? null : values.get("rateGroup");
        String accountCode = values.get("accountCode").isEmpty() ? null : values.get("accountCode");
        String purpose = values.get("purpose").isEmpty() ? null : values.get("purpose");
        if (accountCode != null && accountCode.length() > 64) {
            problems.add(new FieldProblem("accountCode", "size", "staff.too_long", Map.of("max", 64)));
        }
        if (purpose != null && purpose.length() > 1000) {
            problems.add(new FieldProblem("purpose", "size", "staff.too_long", Map.of("max", 1000)));
        }
        try {
            if (!problems.isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
            }
            BookingAccess.Target target = StaffPageSupport.guarded(() -> access.managed(user, instrument));
            BookingService.Requester forUser = access.onBehalf(user, target, person.userId());
            bookings.createOnBehalf(user.actingTenant(), forUser, user.userId(), instrument,
                    new BookingService.NewBooking(start, end, accountCode, rateGroup, !values.get("assisted").isEmpty(),
                            purpose));
        } catch (ProblemException e) {
            Map<String, Object> model = model(request, user, back);
            model.put("f", values);
            model.put("onBehalfOpen", true);
            return pages.respond(request, e.status() == HttpStatus.NOT_FOUND ? HttpStatus.BAD_REQUEST : e.status(),
                    "booking/staff/bookings", pages.withProblem(request, model, rename(e)));
        } catch (SlotConflictException e) {
            Map<String, Object> model = model(request, user, back);
            model.put("f", values);
            model.put("onBehalfOpen", true);
            @SuppressWarnings("unchecked")
            Map<String, String> t = (Map<String, String>) model.get("t");
            model.put("conflict", StaffPageSupport.fill(t.get("staff.conflict." + e.conflict().kind()),
                    StaffPageSupport.conflictArgs(e, zone)));
            return pages.respond(request, HttpStatus.CONFLICT, "booking/staff/bookings", model);
        }
        return redirect(back.href("booked"));
    }

    // ---------------------------------------------------------------- the model

    private Map<String, Object> model(HttpRequest<?> request, AuthenticatedUser user, Back back) {
        List<StaffQueue.ManagedInstrument> managed = support.managedOrForbidden(user);
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        TenantProfile tenant = support.tenant(user);
        ZoneId zone = StaffPageSupport.zone(tenant);
        Map<UUID, StaffQueue.ManagedInstrument> byId = new LinkedHashMap<>();
        managed.forEach(m -> byId.put(m.id(), m));
        UUID chosen = back.instrument() != null && byId.containsKey(back.instrument()) ? back.instrument() : null;
        List<UUID> ids = chosen == null ? new ArrayList<>(byId.keySet()) : List.of(chosen);

        StaffQueue.Page requested = queue.requested(user.actingTenant(), ids, back.page() * PAGE_SIZE, PAGE_SIZE);
        int pageNo = back.page();
        if (requested.items().isEmpty() && requested.total() > 0) {
            pageNo = (int) ((requested.total() - 1) / PAGE_SIZE);
            requested = queue.requested(user.actingTenant(), ids, pageNo * PAGE_SIZE, PAGE_SIZE);
        }
        Instant now = clock.now();
        Instant todayStart = LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
        List<Booking> upcoming = queue.upcoming(user.actingTenant(), ids, todayStart,
                todayStart.plus(Duration.ofDays(UPCOMING_DAYS)));
        Set<UUID> recorded = queue.withUsage(user.actingTenant(), upcoming.stream().map(Booking::id).toList());

        Set<UUID> userIds = new HashSet<>();
        requested.items().forEach(b -> userIds.add(b.requesterUserId()));
        upcoming.forEach(b -> userIds.add(b.requesterUserId()));
        Map<UUID, BookingPeople.Person> names = people.names(user.actingTenant(), userIds);
        Map<String, String> groups = new HashMap<>();
        List<RateGroups.RateGroup> rateGroupList = rateGroups.list(user.actingTenant());
        rateGroupList.forEach(g -> groups.put(g.code(), g.name(zh)));
        Map<UUID, String> homes = new HashMap<>();

        model.put("queue", rows(requested.items(), user, tenant, zh, zone, byId, names, groups, homes, Set.of(), now));
        model.put("strips", strips(user.actingTenant(), requested.items(), zone, names));
        model.put("upcoming", rows(upcoming, user, tenant, zh, zone, byId, names, groups, homes, recorded, now));
        model.put("total", requested.total());
        model.put("page", pageNo);
        model.put("size", PAGE_SIZE);
        model.put("instruments", managed.stream()
                .map(m -> Map.of("id", m.id().toString(), "label", m.name(zh) + " (" + m.assetNumber() + ")")).toList());
        model.put("chosen", chosen == null ? "" : chosen.toString());
        model.put("back", back);
        model.put("pageParam", pageNo);
        model.put("instrumentParam", chosen == null ? "" : chosen.toString());
        model.put("tenantName", tenant.name(zh));
        model.put("zone", zone.getId());
        model.put("rateGroups", rateGroupList.stream().map(g -> Map.of("code", g.code(), "label", g.name(zh))).toList());
        model.put("upcomingDays", UPCOMING_DAYS);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("instrumentId", chosen == null ? "" : chosen.toString());
        for (String k : List.of("person", "start", "end", "rateGroup", "accountCode", "purpose", "assisted")) {
            f.put(k, "");
        }
        model.put("f", f);
        model.put("onBehalfOpen", false);
        model.put("errors", Map.of());
        return model;
    }

    /** The day strip of each requested booking (one read per instrument and day). */
    private Map<UUID, Strip> strips(TenantId tenant, List<Booking> requested, ZoneId zone,
                                    Map<UUID, BookingPeople.Person> names) {
        Map<String, List<Booking>> days = new HashMap<>();
        Map<UUID, Strip> out = new HashMap<>();
        for (Booking b : requested) {
            LocalDate day = b.start().atZoneSameInstant(zone).toLocalDate();
            Instant from = day.atStartOfDay(zone).toInstant();
            Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
            List<Booking> around = days.computeIfAbsent(b.instrumentId() + "/" + day,
                    k -> bookings.forInstrument(tenant, b.instrumentId(), null, from, to));
            double span = Duration.between(from, to).getSeconds();
            List<StripItem> items = new ArrayList<>();
            for (Booking o : around) {
                if (!o.active() && !o.id().equals(b.id())) {
                    continue;
                }
                Instant s = o.startInstant().isBefore(from) ? from : o.startInstant();
                Instant e = o.endInstant().isAfter(to) ? to : o.endInstant();
                boolean self = o.id().equals(b.id());
                boolean overlap = !self && o.startInstant().isBefore(b.endInstant()) && o.endInstant().isAfter(b.startInstant());
                BookingPeople.Person p = names.get(o.requesterUserId());
                items.add(new StripItem(o.id(), StaffPageSupport.shown(s, zone).substring(11),
                        e.equals(to) ? "24:00" : StaffPageSupport.shown(e, zone).substring(11), o.status(),
                        p == null ? "" : p.label(), self, overlap,
                        percent(Duration.between(from, s).getSeconds() / span),
                        percent(Duration.between(s, e).getSeconds() / span)));
            }
            out.put(b.id(), new Strip(day.toString(), items));
        }
        return out;
    }

    private static String percent(double share) {
        return String.format(java.util.Locale.ROOT, "%.2f%%", Math.max(0, Math.min(1, share)) * 100);
    }

    private List<Row> rows(List<Booking> list, AuthenticatedUser user, TenantProfile tenant, boolean zh, ZoneId zone,
                          Map<UUID, StaffQueue.ManagedInstrument> instruments, Map<UUID, BookingPeople.Person> names,
                          Map<String, String> groups, Map<UUID, String> homes, Set<UUID> recorded, Instant now) {
        List<Row> out = new ArrayList<>();
        for (Booking b : list) {
            StaffQueue.ManagedInstrument i = instruments.get(b.instrumentId());
            BookingPeople.Person p = names.get(b.requesterUserId());
            boolean outside = !tenant.id().value().equals(b.requesterTenantId());
            String home = homes.computeIfAbsent(b.requesterTenantId(), id -> outside
                    ? directory.activeProfile(id.toString()).map(x -> x.name(zh)).orElse("?") : tenant.name(zh));
            out.add(new Row(b, i == null ? b.instrumentId().toString() : i.name(zh),
                    p == null ? b.requesterUserId().toString() : p.label(),
                    p == null ? null : p.email() != null ? p.email() : p.subject(), home, outside,
                    StaffPageSupport.shown(b.startInstant(), zone), StaffPageSupport.shown(b.endInstant(), zone),
                    StaffPageSupport.shown(b.createdAt().toInstant(), zone),
                    groups.getOrDefault(b.rateGroup(), b.rateGroup()), !now.isBefore(b.startInstant()),
                    recorded.contains(b.id()),
                    StaffPageSupport.inputValue(b.checkedInAt() != null ? b.checkedInAt().toInstant() : b.startInstant(), zone),
                    StaffPageSupport.inputValue(b.endInstant(), zone)));
        }
        return out;
    }

    private HttpResponse<?> refused(HttpRequest<?> request, AuthenticatedUser user, Back back, ProblemException e) {
        Map<String, Object> model = model(request, user, back);
        return pages.respond(request, e.status(), "booking/staff/bookings", pages.withProblem(request, model, e));
    }

    /** The API's field names as the on-behalf form names them. */
    private static ProblemException rename(ProblemException e) {
        if (e.fieldProblems().isEmpty()) {
            return e;
        }
        List<FieldProblem> out = new ArrayList<>();
        for (FieldProblem p : e.fieldProblems()) {
            String field = switch (p.field()) {
                case "requester", "onBehalfOf" -> "person";
                default -> p.field();
            };
            out.add(new FieldProblem(field, p.code(), p.messageKey(), p.args()));
        }
        return new ProblemException(e.status(), e.code(), out, e.args());
    }

    private static Back back(Map<String, List<String>> form) {
        return new Back(StaffPageSupport.uuid(StaffPageSupport.field(form, "instrument")),
                pageNumber(StaffPageSupport.field(form, "page")));
    }

    private static UUID bookingId(String id) {
        UUID uuid = StaffPageSupport.uuid(id);
        if (uuid == null) {
            throw new StaffPageSupport.NotFound();
        }
        return uuid;
    }

    static int pageNumber(@Nullable String page) {
        try {
            int p = page == null || page.isBlank() ? 0 : Integer.parseInt(page.strip());
            return Math.max(0, Math.min(p, 10_000));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static HttpResponse<?> redirect(String to) {
        return HttpResponse.seeOther(URI.create(to));
    }
}
