package org.labcommons.core.billing.charges;

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
import org.labcommons.core.catalog.CatalogueAccess;
import org.labcommons.core.catalog.Instrument;
import org.labcommons.core.catalog.ManagedInstruments;
import org.labcommons.core.problem.ProblemException;
import org.labcommons.core.problem.ProblemException.FieldProblem;
import org.labcommons.core.roles.PlatformRole;
import org.labcommons.core.roles.RequiresRole;
import org.labcommons.core.security.Action;
import org.labcommons.core.security.AuthenticatedUser;
import org.labcommons.core.web.NavContributor;
import org.labcommons.core.web.NavLink;
import org.labcommons.core.web.Pages;

import java.net.URI;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The charges' pages (zh-CN/en), over the same services and rules as the API ({@link Charges}, {@link ChargeAccess}):
 * <ul>
 *   <li>{@code /admin/charges}: the review queue of the instruments the caller manages: filters (status, default
 *       pending; instrument; month), each charge with its items, approve (one, or the ticked ones), adjust (a delta or
 *       a new total, with a reason), waive (a reason); the open disputes with accept (an adjustment) or reject (a
 *       note);</li>
 *   <li>{@code /my/charges}: the caller's own charges with their items and shares, and a dispute form.</li>
 * </ul>
 * An action is a plain form post answering 303 back to its page, or the page again with the problem (422).
 */
@Controller
@RequiresRole(PlatformRole.CORE)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ChargePages {
    static final List<String> ACTIONS = List.of("approve", "adjust", "waive");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private final ChargeAccess access;
    private final Charges charges;
    private final CatalogueAccess catalogue;
    private final Pages pages;

    public ChargePages(ChargeAccess access, Charges charges, CatalogueAccess catalogue, Pages pages) {
        this.access = access;
        this.charges = charges;
        this.catalogue = catalogue;
        this.pages = pages;
    }

    /** The review queue and the caller's charges in the navigation. */
    @Singleton
    public static class Nav implements NavContributor {
        @Override
        public List<NavLink> navLinks() {
            return List.of(NavLink.everyone("nav.my_charges", "/my/charges", 23),
                    NavLink.forAction("nav.charges.review", "/admin/charges", Action.MANAGE_INSTRUMENT, 152));
        }
    }

    /** A charge in a list: its view, its instrument's name and its times in the tenant's zone. */
    public record Row(ChargeView charge, String instrument, String start, @Nullable String end) {
    }

    @Get(value = "/admin/charges", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> review(HttpRequest<?> request, AuthenticatedUser caller, @Nullable @QueryValue String status,
                                       @Nullable @QueryValue UUID instrumentId, @Nullable @QueryValue String period) {
        access.reviewer(caller);
        return pages.respond(request, HttpStatus.OK, "billing/charges-review",
                reviewModel(request, caller, status, instrumentId, period));
    }

    @Post(value = "/admin/charges/approve", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> approveTicked(HttpRequest<?> request, AuthenticatedUser caller,
                                              @Body Map<String, String> form) {
        access.reviewer(caller);
        for (String key : form.keySet()) {
            if (key.startsWith("pick-")) {
                UUID id = uuid(key.substring(5));
                try {
                    access.reviewable(caller, id);
                    charges.approve(caller.actingTenant(), ChargeAccess.who(caller), id);
                } catch (ProblemException e) {
                    if (e.status() == HttpStatus.INTERNAL_SERVER_ERROR) {
                        throw e;
                    }   // one that cannot be approved stays in the queue with its status
                }
            }
        }
        return HttpResponse.seeOther(URI.create("/admin/charges" + lang(request, "?")));
    }

    @Post(value = "/admin/charges/{id}/{action}", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> act(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                    @PathVariable String action, @Body Map<String, String> form) {
        if (!ACTIONS.contains(action)) {
            throw ProblemException.notFound();
        }
        access.reviewable(caller, id);
        Who who = ChargeAccess.who(caller);
        try {
            switch (action) {
                case "approve" -> charges.approve(caller.actingTenant(), who, id);
                case "adjust" -> {
                    List<FieldProblem> problems = new ArrayList<>();
                    Long delta = number(form, "deltaFen", problems);
                    Long total = number(form, "newTotalFen", problems);
                    if (!problems.isEmpty()) {
                        throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
                    }
                    charges.adjust(caller.actingTenant(), who, id, delta, total, form.get("reason"));
                }
                default -> charges.waive(caller.actingTenant(), who, id, form.get("reason"));
            }
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.INTERNAL_SERVER_ERROR) {
                throw e;
            }
            Map<String, Object> model = reviewModel(request, caller, null, null, null);
            model.put("failedCharge", id.toString());
            model.put("failedAction", action);
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "billing/charges-review",
                    pages.withProblem(request, model, e));
        }
        return HttpResponse.seeOther(URI.create("/admin/charges" + lang(request, "?")));
    }

    @Post(value = "/admin/charges/{id}/disputes/{disputeId}", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    public HttpResponse<String> resolve(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                        @PathVariable UUID disputeId, @Body Map<String, String> form) {
        access.reviewable(caller, id);
        try {
            List<FieldProblem> problems = new ArrayList<>();
            Long delta = number(form, "deltaFen", problems);
            if (!problems.isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, "validation_failed", problems);
            }
            boolean accept = "accepted".equals(form.get("resolution"));
            charges.resolve(caller.actingTenant(), ChargeAccess.who(caller), id, disputeId, accept, delta, null,
                    form.get("note"));
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.INTERNAL_SERVER_ERROR) {
                throw e;
            }
            Map<String, Object> model = reviewModel(request, caller, null, null, null);
            model.put("failedCharge", id.toString());
            model.put("failedAction", "resolve");
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "billing/charges-review",
                    pages.withProblem(request, model, e));
        }
        return HttpResponse.seeOther(URI.create("/admin/charges" + lang(request, "?")));
    }

    @Get(value = "/my/charges", produces = MediaType.TEXT_HTML)
    public HttpResponse<String> mine(HttpRequest<?> request, AuthenticatedUser caller) {
        return pages.respond(request, HttpStatus.OK, "billing/charges-mine", mineModel(request, caller));
    }

    @Post(value = "/my/charges/{id}/dispute", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    public HttpResponse<String> dispute(HttpRequest<?> request, AuthenticatedUser caller, @PathVariable UUID id,
                                        @Body Map<String, String> form) {
        access.own(caller, id);
        try {
            charges.dispute(caller.actingTenant(), ChargeAccess.who(caller), id, form.get("reason"));
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.NOT_FOUND || e.status() == HttpStatus.INTERNAL_SERVER_ERROR) {
                throw e;
            }
            Map<String, Object> model = mineModel(request, caller);
            model.put("failedCharge", id.toString());
            return pages.respond(request, HttpStatus.UNPROCESSABLE_ENTITY, "billing/charges-mine",
                    pages.withProblem(request, model, e));
        }
        return HttpResponse.seeOther(URI.create("/my/charges" + lang(request, "?")));
    }

    private Map<String, Object> reviewModel(HttpRequest<?> request, AuthenticatedUser caller, @Nullable String status,
                                            @Nullable UUID instrumentId, @Nullable String period) {
        Map<String, Object> model = pages.model(request);
        boolean zh = Boolean.TRUE.equals(model.get("zh"));
        ManagedInstruments managed = access.reviewer(caller);
        String shown = status == null || status.isBlank() ? "pending" : status;
        String month = period == null || period.isBlank() ? null : period;
        ChargeView.Page page;
        try {
            page = charges.list(caller.actingTenant(), new ChargeView.Filter(shown, instrumentId, null, null, month, null),
                    managed, 0, 200);
        } catch (ProblemException e) {
            shown = "pending";
            month = null;
            page = charges.list(caller.actingTenant(), new ChargeView.Filter(shown, instrumentId, null, null, null, null),
                    managed, 0, 200);
        }
        Map<UUID, String> names = new HashMap<>();
        List<Row> rows = rows(caller, page.items(), names, zh, true);
        List<Row> disputed = rows(caller, charges.list(caller.actingTenant(),
                new ChargeView.Filter("disputed", null, null, null, null, null), managed, 0, 200).items(), names, zh, true);
        model.put("rows", rows);
        model.put("disputed", disputed);
        model.put("status", shown);
        model.put("statuses", Charges.STATUSES);
        model.put("instrumentId", instrumentId == null ? "" : instrumentId.toString());
        model.put("period", month == null ? "" : month);
        model.put("total", page.total());
        return model;
    }

    private Map<String, Object> mineModel(HttpRequest<?> request, AuthenticatedUser caller) {
        Map<String, Object> model = pages.model(request);
        boolean zh = Boolean.TRUE.equals(model.get("zh"));
        ChargeView.Page page = charges.list(caller.actingTenant(),
                new ChargeView.Filter(null, null, caller.userId(), null, null, null), 0, 200);
        model.put("rows", rows(caller, page.items(), new HashMap<>(), zh, true));
        return model;
    }

    private List<Row> rows(AuthenticatedUser caller, List<ChargeView> list, Map<UUID, String> names, boolean zh,
                           boolean details) {
        ZoneId zone = charges.zone(caller.actingTenant());
        List<Row> out = new ArrayList<>();
        for (ChargeView v : list) {
            ChargeView full = details ? charges.find(caller.actingTenant(), v.id()).orElse(v) : v;
            String name = names.computeIfAbsent(v.instrumentId(), id -> catalogue.service()
                    .find(caller.actingTenant(), id).map(i -> name(i, zh)).orElse(id.toString()));
            out.add(new Row(full, name, WHEN.format(v.serviceStart().atZone(zone)),
                    v.serviceEnd() == null ? null : WHEN.format(v.serviceEnd().atZone(zone))));
        }
        return out;
    }

    private static @Nullable Long number(Map<String, String> form, String field, List<FieldProblem> problems) {
        String v = form.getOrDefault(field, "").strip();
        if (v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem(field, "number", "charge.validation.number", Map.of()));
            return null;
        }
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound();
        }
    }

    private static String lang(HttpRequest<?> request, String prefix) {
        String lang = request.getParameters().get("lang");
        return lang == null || !lang.matches("[a-zA-Z-]{2,10}") ? "" : prefix + "lang=" + lang;
    }

    private static String name(Instrument i, boolean zh) {
        return zh || i.nameEn() == null ? i.nameZh() : i.nameEn();
    }
}
