package org.labcommons.core.usage.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.labcommons.core.booking.BookingAccess;
import org.labcommons.core.booking.BookingClock;
import org.labcommons.core.booking.StaffQueue;
import org.labcommons.core.directory.TenantDirectory.TenantProfile;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantTransactions;
import org.labcommons.core.web.PageForbiddenException;
import org.labcommons.core.web.Pages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The usage pages of one institution (the caller's acting one, times in its zone):
 * {@code /lab/usage}, the dashboard of the instruments the caller manages now (status, current
 * session, today's hours, next booking, a link to each timeline); {@code /instruments/{id}/usage?day=},
 * an instrument's day (ECharts: the power curve with the sessions and bookings as bands; below, the
 * same as tables, readable without JavaScript; persons shown to the instrument's staff, and to each
 * person their own); {@code /my/usage}, the caller's own sessions, newest first. Another
 * institution's instrument is a 404.
 */
@Controller
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class UsagePages {
    /** Rows per page of the own history. */
    static final int PAGE = 20;

    private final Pages pages;
    private final UsagePageSupport support;
    private final UsagePageRows rows;
    private final TenantTransactions tenants;
    private final LiveStatus live;
    private final StaffQueue queue;
    private final BookingAccess access;
    private final BookingClock clock;
    private final JsonMapper json;

    public UsagePages(Pages pages, UsagePageSupport support, UsagePageRows rows, TenantTransactions tenants,
                      LiveStatus live, StaffQueue queue, BookingAccess access, BookingClock clock, JsonMapper json) {
        this.pages = pages;
        this.support = support;
        this.rows = rows;
        this.tenants = tenants;
        this.live = live;
        this.queue = queue;
        this.access = access;
        this.clock = clock;
        this.json = json;
    }

    /** One instrument on the dashboard. */
    public record LabRow(UUID id, String name, String assetNumber, UsagePageSupport.LiveView live, String today,
                         @Nullable String next, @Nullable String nextWho, String timelineHref) {
    }

    /** A session of the day (or of the own history) as a table row; {@code who} null when not to be shown. */
    public record SessionLine(UUID id, String instrument, String span, @Nullable String who, String grade, String link,
                              String source, long minutes, boolean open) {
    }

    /** A booking of the day; {@code who} null when not to be shown. */
    public record BookingLine(UUID id, String span, @Nullable String who, String status) {
    }

    // ---------------------------------------------------------------- the lab dashboard

    @Get(value = "/lab/usage", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> lab(HttpRequest<?> request, AuthenticatedUser user) {
        List<StaffQueue.ManagedInstrument> managed = queue.managed(user);
        if (managed.isEmpty()) {
            throw new PageForbiddenException(PageForbiddenException.FORBIDDEN);
        }
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        TenantProfile tenant = support.tenant(user);
        ZoneId zone = UsagePageSupport.zone(tenant);
        List<UUID> ids = managed.stream().map(StaffQueue.ManagedInstrument::id).toList();
        Instant now = clock.now();
        LocalDate today = now.atZone(zone).toLocalDate();
        Instant from = today.atStartOfDay(zone).toInstant();
        Instant to = today.plusDays(1).atStartOfDay(zone).toInstant();
        Map<UUID, LiveStatus.Live> status = live.of(user.actingTenant(), ids);
        Map<UUID, Long> minutes = new HashMap<>();
        Map<UUID, UsagePageRows.BookingBand> next = new HashMap<>();
        long unattributed = tenants.inTenant(user.actingTenant(), c -> {
            rows.minutes(ids, from, to, now).forEach(m -> minutes.put(m.instrumentId(), m.minutes()));
            rows.next(ids, now).forEach(b -> next.put(b.instrumentId(), b));
            return rows.countUnattributed(ids);
        });
        List<LabRow> lab = new ArrayList<>();
        for (StaffQueue.ManagedInstrument i : managed) {
            UsagePageRows.BookingBand b = next.get(i.id());
            String href = "/instruments/" + i.id() + "/usage";
            lab.add(new LabRow(i.id(), UsagePageSupport.name(zh, i.nameZh(), i.nameEn()), i.assetNumber(),
                    UsagePageSupport.view(status.get(i.id()), zone, true, user.userId(), href),
                    UsagePageSupport.hours(minutes.getOrDefault(i.id(), 0L)),
                    b == null ? null : UsagePageSupport.span(b.startsAt(), b.endsAt(), zone),
                    b == null ? null : b.userName() == null ? b.requesterUserId().toString() : b.userName(), href));
        }
        model.put("rows", lab);
        model.put("zone", zone.getId());
        model.put("today", today.toString());
        model.put("unattributed", unattributed);
        return pages.respond(request, HttpStatus.OK, "usage/lab", model);
    }

    // ---------------------------------------------------------------- an instrument's day

    @Get(value = "/instruments/{id}/usage", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> timeline(HttpRequest<?> request, AuthenticatedUser user, @PathVariable String id,
                                    @Nullable @QueryValue String day) {
        UUID instrumentId = UsagePageSupport.uuid(id);
        boolean staff = access.readable(user, instrumentId).staff();
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        Map<String, String> t = UsagePageSupport.messages(model);
        TenantProfile tenant = support.tenant(user);
        ZoneId zone = UsagePageSupport.zone(tenant);
        LocalDate date = support.day(day, zone);
        Instant from = date.atStartOfDay(zone).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
        Instant now = clock.now();
        record Day(List<UsagePageRows.Session> sessions, List<UsagePageRows.BookingBand> bookings,
                   List<UsagePageRows.Sample> samples, UsagePageRows.Names names) {
        }
        Day d = tenants.inTenant(user.actingTenant(), c -> new Day(rows.sessions(instrumentId, from, to),
                rows.bookings(instrumentId, from, to), rows.samples(instrumentId, from, to),
                rows.names(instrumentId).orElseThrow(org.labcommons.core.problem.ProblemException::notFound)));
        String instrumentName = UsagePageSupport.name(zh, d.names().nameZh(), d.names().nameEn());
        List<SessionLine> sessions = d.sessions().stream().map(s -> line(s, zone, staff, user.userId(), zh)).toList();
        List<BookingLine> bookings = d.bookings().stream().map(b -> new BookingLine(b.id(),
                UsagePageSupport.span(b.startsAt(), b.endsAt(), zone),
                staff || b.requesterUserId().equals(user.userId()) ? (b.userName() == null ? "" : b.userName()) : null,
                b.status())).toList();
        model.put("instrumentId", instrumentId);
        model.put("instrumentName", instrumentName);
        model.put("staff", staff);
        model.put("day", date.toString());
        model.put("prevHref", "/instruments/" + instrumentId + "/usage?day=" + date.minusDays(1));
        model.put("nextHref", "/instruments/" + instrumentId + "/usage?day=" + date.plusDays(1));
        model.put("zone", zone.getId());
        model.put("live", UsagePageSupport.view(live.of(user.actingTenant(), instrumentId), zone, staff, user.userId(), null));
        model.put("sessions", sessions);
        model.put("bookings", bookings);
        model.put("samples", d.samples().size());
        model.put("usedMinutes", UsagePageSupport.hours(sessions.stream().mapToLong(SessionLine::minutes).sum()));
        model.put("chartJson", chart(d.sessions(), d.bookings(), d.samples(), from, to, now, zone, t));
        return pages.respond(request, HttpStatus.OK, "usage/timeline", model);
    }

    private SessionLine line(UsagePageRows.Session s, ZoneId zone, boolean staff, UUID viewer, boolean zh) {
        String who = null;
        if (staff || viewer.equals(s.userId())) {
            who = s.userId() == null ? "" : s.userName() == null ? s.userId().toString() : s.userName();
        }
        return new SessionLine(s.id(), UsagePageSupport.name(zh, s.instrumentNameZh(), s.instrumentNameEn()),
                UsagePageSupport.span(s.startedAt(), s.endedAt(), zone), who, s.grade(), s.link(), s.source(),
                support.minutes(s.startedAt(), s.endedAt()), s.endedAt() == null);
    }

    /**
     * The chart's data as JSON for {@code static/usage-timeline.js}: times as the tenant's wall clock
     * read as UTC milliseconds (the chart runs in UTC, so it shows the tenant's local times wherever the
     * browser is), the power samples, and the sessions and bookings as [from, to, label] bands cut to the day.
     */
    private String chart(List<UsagePageRows.Session> sessions, List<UsagePageRows.BookingBand> bookings,
                         List<UsagePageRows.Sample> samples, Instant from, Instant to, Instant now, ZoneId zone,
                         Map<String, String> t) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("from", wall(from, zone));
        c.put("to", wall(to, zone));
        c.put("power", samples.stream().map(s -> List.of(wall(s.at(), zone), s.watts())).toList());
        c.put("sessions", sessions.stream().map(s -> band(s.startedAt(), s.endedAt() == null ? now : s.endedAt(), from, to,
                zone, t.getOrDefault("usage.grade." + s.grade(), s.grade()) + " · "
                        + t.getOrDefault("usage.link." + s.link(), s.link()))).toList());
        c.put("bookings", bookings.stream().map(b -> band(b.startsAt(), b.endsAt(), from, to, zone,
                t.getOrDefault("usage.booking.status." + b.status(), b.status()))).toList());
        Map<String, String> labels = new LinkedHashMap<>();
        List.of("power", "sessions", "bookings", "watts").forEach(k -> labels.put(k, t.getOrDefault("usage.chart." + k, k)));
        c.put("labels", labels);
        try {
            // inside a <script> element: no "</script>" may appear
            return json.writeValueAsString(c).replace("<", "\\u003c");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Object> band(Instant start, Instant end, Instant from, Instant to, ZoneId zone, String label) {
        Instant s = start.isBefore(from) ? from : start;
        Instant e = end.isAfter(to) ? to : end;
        return List.of(wall(s, zone), wall(e.isBefore(s) ? s : e, zone), label);
    }

    static long wall(Instant at, ZoneId zone) {
        return at.atZone(zone).toLocalDateTime().toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    // ---------------------------------------------------------------- my usage

    @Get(value = "/my/usage", produces = MediaType.TEXT_HTML)
    public HttpResponse<?> mine(HttpRequest<?> request, AuthenticatedUser user, @Nullable @QueryValue Integer page) {
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        TenantProfile tenant = support.tenant(user);
        ZoneId zone = UsagePageSupport.zone(tenant);
        int p = UsagePageSupport.page(page);
        record Mine(List<UsagePageRows.Session> items, long total) {
        }
        Mine m = tenants.inTenant(user.actingTenant(), c -> new Mine(rows.mine(user.userId(), p * PAGE, PAGE),
                rows.countMine(user.userId())));
        model.put("rows", m.items().stream().map(s -> line(s, zone, true, user.userId(), zh)).toList());
        model.put("total", m.total());
        model.put("page", p);
        model.put("size", PAGE);
        model.put("zone", zone.getId());
        model.put("institution", tenant.name(zh));
        return pages.respond(request, HttpStatus.OK, "usage/mine", model);
    }
}
