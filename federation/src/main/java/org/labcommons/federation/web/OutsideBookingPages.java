package org.labcommons.federation.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.labcommons.core.audit.AuditEntry;
import org.labcommons.core.catalog.InstrumentForm;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.tenancy.TenantId;
import org.labcommons.core.web.Pages;
import org.labcommons.core.web.WebCaller;
import org.labcommons.federation.booking.OutsideBookingRecords;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The home institution's finance page at {@code /admin/outside-bookings}: every booking its people
 * hold at other institutions (the linked records, docs/federation.md) with filters (status, owner
 * institution, member, period in the home's zone), the count and estimated cost of everything the
 * filter matches in yuan, and the closed account codes with close and reopen forms. Finance staff
 * and institution admins only ({@link Action#SETTLE_ACCOUNTS} on the tenant, as the API); others
 * get the 403 page. A bad filter answers 400 with the message next to its field.
 */
@Controller("/admin/outside-bookings")
@RequiresRole(PlatformRole.FEDERATION)
@ExecuteOn(TaskExecutors.BLOCKING)
public class OutsideBookingPages {
    static final int SIZE = 50;
    static final List<String> STATUSES = List.of("requested", "approved", "checked_in", "no_show", "cancelled", "rejected");
    static final List<String> DONE = List.of("blocked", "unblocked");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Pages pages;
    private final WebCaller web;
    private final OutsideBookingRecords records;

    public OutsideBookingPages(Pages pages, WebCaller web, OutsideBookingRecords records) {
        this.pages = pages;
        this.web = web;
        this.records = records;
    }

    /** A record as the page shows it. */
    public record Row(OutsideBookingRecords.OutsideBooking b, String instrument, String owner, String member,
                      String start, String end, @Nullable String cost) {
    }

    /** An option of a filter's list. */
    public record Option(String value, String label) {
    }

    @Get(produces = MediaType.TEXT_HTML)
    public HttpResponse<?> list(HttpRequest<?> request, AuthenticatedUser caller, @Nullable @QueryValue String status, @Nullable @QueryValue String owner,
                                @Nullable @QueryValue String member, @Nullable @QueryValue String from,
                                @Nullable @QueryValue String to, @Nullable @QueryValue String page,
                                @Nullable @QueryValue String done) {
        web.require(caller, Action.SETTLE_ACCOUNTS);
        TenantId home = caller.actingTenant();
        Map<String, Object> model = pages.model(request);
        boolean zh = (boolean) model.get("zh");
        ZoneId zone = records.zoneOf(home);
        Map<String, String> f = new HashMap<>();
        f.put("status", blank(status));
        f.put("owner", blank(owner));
        f.put("member", blank(member));
        f.put("from", blank(from));
        f.put("to", blank(to));
        model.put("f", f);
        model.put("zone", zone.getId());
        if (done != null && DONE.contains(done)) {
            model.put("done", done);
        }
        List<FieldProblem> problems = new ArrayList<>();
        String st = f.get("status");
        if (st != null && !STATUSES.contains(st)) {
            problems.add(new FieldProblem("status", "invalid", "validation.federation.status", Map.of("value", st)));
        }
        UUID ownerId = choice(f.get("owner"), "owner", problems);
        UUID memberId = choice(f.get("member"), "member", problems);
        LocalDate fromDay = day(f.get("from"), "from", problems);
        LocalDate toDay = day(f.get("to"), "to", problems);
        if (fromDay != null && toDay != null && toDay.isBefore(fromDay)) {
            problems.add(new FieldProblem("to", "range", "validation.federation.period", Map.of()));
        }
        int p = 0;
        if (page != null && !page.isBlank()) {
            try {
                p = Integer.parseInt(page.strip());
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 0 || p > 100_000) {
                problems.add(new FieldProblem("page", "range", "validation.federation.page", Map.of("max", 100_000)));
            }
        }
        List<OutsideBookingRecords.Choice> people = records.requesters(home);
        common(model, home, zh, people);
        if (!problems.isEmpty()) {
            pages.withProblem(request, model, new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems));
            model.put("rows", List.of());
            model.put("total", 0L);
            model.put("totalCost", yuan(0L));
            return pages.respond(request, HttpStatus.BAD_REQUEST, "federation/outside-bookings", model);
        }
        OutsideBookingRecords.Page result = records.list(home, new OutsideBookingRecords.Filter(memberId, st, null, null,
                fromDay == null ? null : fromDay.atStartOfDay(zone).toInstant(),
                toDay == null ? null : toDay.plusDays(1).atStartOfDay(zone).toInstant(), ownerId), p, SIZE);
        Map<UUID, String> names = new HashMap<>();
        people.forEach(c -> names.put(c.id(), c.label()));
        List<Row> rows = new ArrayList<>();
        for (OutsideBookingRecords.OutsideBooking b : result.items()) {
            String instrument = zh || b.instrumentNameEn() == null || b.instrumentNameEn().isBlank()
                    ? (b.instrumentNameZh() == null ? b.instrumentId().toString() : b.instrumentNameZh()) : b.instrumentNameEn();
            String ownerName = zh || b.ownerNameEn() == null || b.ownerNameEn().isBlank() ? b.ownerNameZh() : b.ownerNameEn();
            rows.add(new Row(b, instrument, ownerName, names.getOrDefault(b.requesterUserId(), b.requesterUserId().toString()),
                    b.start().atZoneSameInstant(zone).format(SHOWN), b.end().atZoneSameInstant(zone).format(SHOWN),
                    yuan(b.estimatedCostFen())));
        }
        model.put("rows", rows);
        model.put("total", result.total());
        model.put("totalCost", yuan(result.totalEstimatedCostFen()));
        model.put("page", p);
        return pages.respond(request, HttpStatus.OK, "federation/outside-bookings", model);
    }

    /** Closes an account code (finance): the home refuses its people's bookings charged to it from now on. */
    @Post(value = "/account-blocks", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> block(HttpRequest<?> request, AuthenticatedUser caller, @Body String body) {
        web.require(caller, Action.SETTLE_ACCOUNTS);
        Map<String, List<String>> data = InstrumentForm.decode(body);
        String code = blank(first(data, "code"));
        String reason = blank(first(data, "reason"));
        List<FieldProblem> problems = new ArrayList<>();
        if (code == null || code.length() > 64) {
            problems.add(new FieldProblem("code", "invalid", "validation.federation.account", Map.of("max", 64)));
        }
        if (reason != null && reason.length() > 500) {
            problems.add(new FieldProblem("reason", "too_long", "validation.federation.reason", Map.of("max", 500)));
        }
        if (!problems.isEmpty()) {
            Map<String, Object> model = pages.model(request);
            TenantId home = caller.actingTenant();
            model.put("f", new HashMap<String, String>());
            model.put("zone", records.zoneOf(home).getId());
            common(model, home, (boolean) model.get("zh"), records.requesters(home));
            model.put("rows", List.of());
            model.put("total", 0L);
            model.put("totalCost", yuan(0L));
            model.put("blockCode", code);
            model.put("blockReason", reason);
            pages.withProblem(request, model, new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems));
            return pages.respond(request, HttpStatus.BAD_REQUEST, "federation/outside-bookings", model);
        }
        records.block(caller.actingTenant(), actor(caller), caller.userId(), code, reason);
        return HttpResponse.seeOther(URI.create("/admin/outside-bookings?done=blocked#blocks"));
    }

    /** Opens a closed account code again (404 when it is not closed). */
    @Post(value = "/account-blocks/unblock", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<?> unblock(AuthenticatedUser caller, @Body String body) {
        web.require(caller, Action.SETTLE_ACCOUNTS);
        String code = blank(first(InstrumentForm.decode(body), "code"));
        if (code == null || code.length() > 64 || !records.unblock(caller.actingTenant(), actor(caller), code)) {
            throw ProblemException.notFound();
        }
        return HttpResponse.seeOther(URI.create("/admin/outside-bookings?done=unblocked#blocks"));
    }

    private void common(Map<String, Object> model, TenantId home, boolean zh, List<OutsideBookingRecords.Choice> people) {
        model.put("statuses", STATUSES);
        model.put("page", 0);
        model.put("size", SIZE);
        List<Option> owners = new ArrayList<>();
        for (OutsideBookingRecords.Choice c : records.owners(home)) {
            owners.add(new Option(c.id().toString(), zh || c.labelEn() == null || c.labelEn().isBlank() ? c.label() : c.labelEn()));
        }
        model.put("owners", owners);
        List<Option> members = new ArrayList<>();
        for (OutsideBookingRecords.Choice c : people) {
            members.add(new Option(c.id().toString(), c.labelEn() != null && !c.labelEn().equals(c.label())
                    ? c.label() + " (" + c.labelEn() + ")" : c.label()));
        }
        model.put("members", members);
        ZoneId zone = ZoneId.of((String) model.get("zone"));
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (OutsideBookingRecords.AccountBlock b : records.blocks(home)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", b.accountCode());
            m.put("reason", b.reason());
            m.put("since", b.blockedAt().atZoneSameInstant(zone).format(SHOWN));
            blocks.add(m);
        }
        model.put("blocks", blocks);
    }

    private static @Nullable UUID choice(@Nullable String value, String field, List<FieldProblem> problems) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem(field, "invalid", "validation.federation_page.choice", Map.of()));
            return null;
        }
    }

    private static @Nullable LocalDate day(@Nullable String value, String field, List<FieldProblem> problems) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem(field, "date", "validation.federation_page.date", Map.of()));
            return null;
        }
    }

    private static @Nullable String blank(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static @Nullable String first(Map<String, List<String>> data, String name) {
        List<String> values = data.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Fen as yuan with two decimals ({@code 123450} → {@code ¥1,234.50}); null stays null. */
    static @Nullable String yuan(@Nullable Long fen) {
        return fen == null ? null : String.format(Locale.ROOT, "¥%,.2f", BigDecimal.valueOf(fen, 2));
    }

    private static AuditEntry.Actor actor(AuthenticatedUser user) {
        return new AuditEntry.Actor(user.issuer(), user.subject(), user.actingTenant().toString());
    }
}
